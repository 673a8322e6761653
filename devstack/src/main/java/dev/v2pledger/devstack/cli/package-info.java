/** {@code java -jar devstack.jar run}: the command line of the one-machine stack. */
package dev.v2pledger.devstack.cli;
