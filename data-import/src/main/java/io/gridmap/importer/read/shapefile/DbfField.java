package io.gridmap.importer.read.shapefile;

/**
 * One field descriptor of a DBF header.
 *
 * @param name the field name, at most 10 characters (a Shapefile's {@code village_code} is {@code
 *     village_co})
 * @param type the dBASE type letter: C text, N and F numbers as text, L logical, D date as
 *     YYYYMMDD, I a 4-byte binary integer (Visual FoxPro)
 * @param offset where its bytes start in a record, after the deletion flag
 * @param length its width in bytes
 * @param decimals digits after the decimal point (N and F)
 */
record DbfField(String name, char type, int offset, int length, int decimals) {
  /** The types we read; M (memo) and the rest are refused when the header is read. */
  static final String TYPES = "CNFLDI";
}
