package dev.v2pledger.applier.xde.ffi;

/** The OPTE commands the applier uses, with their ABI numbers. */
enum OpteCmd {
  LIST_PORTS(1, "ListPorts"),
  CLEAR_UFT(40, "ClearUft"),
  SET_VIRT2PHYS(50, "SetVirt2Phys"),
  DUMP_VIRT2PHYS(51, "DumpVirt2Phys"),
  CLEAR_VIRT2PHYS(55, "ClearVirt2Phys");

  final int number;
  final String opteName;

  OpteCmd(int number, String opteName) {
    this.number = number;
    this.opteName = opteName;
  }
}
