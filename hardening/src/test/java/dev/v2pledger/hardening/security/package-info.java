/**
 * Security across the components: an embedded KRaft broker with SCRAM-SHA-512 users, a SASL_SSL
 * listener and StandardAuthorizer ACLs (docs/SECURITY.md's least privilege), the pipeline run with
 * each component as its own principal, and refused credentials stopping each component at once.
 */
@NullMarked
package dev.v2pledger.hardening.security;

import org.jspecify.annotations.NullMarked;
