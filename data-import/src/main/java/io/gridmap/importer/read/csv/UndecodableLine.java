package io.gridmap.importer.read.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Where a file stops being valid text in a charset: the line and the offending bytes. Found by
 * decoding the file again from the start, only once decoding has failed: the reader's decoder runs
 * a buffer (8 KB) ahead of the CSV parser, so the parser's line at the failure can be a hundred
 * lines early.
 *
 * @param line the 1-based physical line of the first undecodable byte
 * @param bytes those bytes in hex, "D0 C2"
 */
record UndecodableLine(long line, String bytes) {
  static UndecodableLine find(Path file, Charset charset) throws IOException {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.allocate(1 << 16);
    CharBuffer out = CharBuffer.allocate(1 << 16);
    long line = 1;
    try (InputStream stream = Files.newInputStream(file)) {
      boolean eof = false;
      while (true) {
        int n = eof ? -1 : stream.read(in.array(), in.position(), in.remaining());
        if (n < 0) {
          eof = true;
        } else {
          in.position(in.position() + n);
        }
        in.flip();
        CoderResult result = decoder.decode(in, out, eof);
        out.flip();
        for (int i = 0; i < out.limit(); i++) {
          line += out.get(i) == '\n' ? 1 : 0;
        }
        out.clear();
        if (result.isError()) {
          byte[] bad = new byte[result.length()];
          in.get(bad);
          return new UndecodableLine(
              line, HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bad));
        }
        if (eof && !result.isOverflow()) {
          return new UndecodableLine(line, ""); // decodes after all: the failure was elsewhere
        }
        in.compact();
      }
    }
  }
}
