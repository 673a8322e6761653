package dev.v2pledger.applier.cli;

import picocli.CommandLine.IVersionProvider;

/** The jar's Implementation-Version. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Version.class.getPackage().getImplementationVersion();
    return new String[] {"sled-applier " + (version == null ? "(development build)" : version)};
  }
}
