package io.gridmap.importer.generate;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Predicate;
import org.locationtech.jts.io.WKBWriter;

/** SHA-256 over every feature's layer, id, WKB, values and personal flag. */
final class DatasetHash {
  private DatasetHash() {}

  static String of(Dataset d) {
    return of(d, f -> true);
  }

  static String of(Dataset d, Predicate<Feature> which) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      WKBWriter wkb = new WKBWriter();
      for (Layer l : d.layers().values()) {
        md.update(l.name().getBytes(StandardCharsets.UTF_8));
        for (Feature f : l.features()) {
          if (!which.test(f)) {
            continue;
          }
          md.update(Long.toString(f.id()).getBytes(StandardCharsets.UTF_8));
          md.update(wkb.write(f.geometry()));
          for (Object v : f.values()) {
            md.update(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
          }
          md.update((byte) (f.personal() ? 1 : 0));
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
