package dev.v2pledger.applier.xde.postcard;

/** Bytes that are not a valid postcard encoding of the expected type; says where and why. */
public final class PostcardException extends RuntimeException {
  public PostcardException(int offset, String what) {
    super("postcard: at byte " + offset + ": " + what);
  }
}
