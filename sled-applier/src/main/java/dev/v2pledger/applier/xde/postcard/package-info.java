/**
 * The postcard wire format (serde's compact binary form used by OPTE's ioctl bodies) for the V2P
 * commands and the port commands (ListPorts, ClearUft): varint integers (zigzag for signed), enum
 * variant index as a varint, fixed arrays as raw bytes, sequences and strings prefixed by a varint
 * length, an {@code Option} as a 00 or 01 tag before its value. Decoding is bounded by the input: a
 * length is checked against the bytes that remain before anything is allocated, and truncated or
 * garbage input raises {@link dev.v2pledger.applier.xde.postcard.PostcardException}.
 */
@NullMarked
package dev.v2pledger.applier.xde.postcard;

import org.jspecify.annotations.NullMarked;
