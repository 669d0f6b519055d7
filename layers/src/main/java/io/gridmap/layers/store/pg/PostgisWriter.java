package io.gridmap.layers.store.pg;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.DatasetCheck;
import io.gridmap.layers.store.IsoTimestamp;
import io.gridmap.layers.store.MetadataJson;
import io.gridmap.layers.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes a whole {@link Dataset} into a PostGIS store in one transaction: every table is emptied
 * and filled again with COPY, so another session sees the old city until the commit and the new one
 * after, and a failure midway leaves the old one. The change log starts again at 1, as it does in a
 * GeoPackage written anew.
 */
final class PostgisWriter {
  private final PostgisStore store;
  private final Ewkb ewkb = new Ewkb();

  PostgisWriter(PostgisStore store) {
    this.store = store;
  }

  void write(Dataset dataset) {
    List<Layer> layers;
    List<Layer> imported;
    try {
      layers = DatasetCheck.catalogueLayers(dataset);
      imported = DatasetCheck.importedLayers(dataset);
      // every check before the first row goes: a COPY is not left halfway for our own refusals
      for (Layer layer : layers) {
        check(layer);
      }
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot write store " + store.location() + ": " + e.getMessage(), e);
    }
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        PgSchema.markServerWrite(c);
        try (Statement s = c.createStatement()) {
          s.execute("TRUNCATE " + PgSchema.allTables() + " RESTART IDENTITY");
        }
        // the city replaces every imported layer too: the dataset's are made anew, others go
        ImportedTables.dropAll(c, store.url().schema());
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (Layer layer : layers) {
          copyLayer(copy, layer);
        }
        for (Layer layer : imported) {
          ImportedTables.create(c, store.url().schema(), layer.def());
          copyLayer(copy, layer);
        }
        copyGeneralised(copy, dataset.generalised());
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + PgSchema.METADATA + " (id, metadata) VALUES (1, ?::jsonb)")) {
          ps.setString(1, MetadataJson.write(dataset.metadata()));
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        PgSchema.rollbackQuietly(c, e);
        throw e;
      }
      // fresh statistics for the planner: a whole city arrived at once
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    } catch (StoreException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot write store " + store.location() + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw store.failure("cannot write the city (nothing was written)", e);
    }
  }

  /** A layer's rows into its empty table, with COPY. */
  void copyLayer(CopyManager copy, Layer layer) throws SQLException {
    copyLayer(copy, layer.def(), layer.features());
  }

  /**
   * As {@link #copyLayer(CopyManager, Layer)}, for features only iterated (an import's, which it
   * makes one at a time: a {@link Layer} would copy them all).
   */
  void copyLayer(CopyManager copy, LayerDef def, List<Feature> features) throws SQLException {
    List<Field> fields = def.fields();
    CopyRows rows =
        new CopyRows(
            copy.copyIn(
                "COPY "
                    + PgSchema.quote(def.name())
                    + " ("
                    + PgSchema.columnList(def)
                    + ") FROM STDIN"));
    boolean promote = DatasetCheck.promotesPolygons(features);
    try {
      for (Feature f : features) {
        rows.number(f.id())
            .hex(ewkb.write(DatasetCheck.promote(f.geometry(), promote), 4326))
            .bool(f.personal());
        for (int i = 0; i < fields.size(); i++) {
          Object v = f.value(i);
          if (v == null) {
            rows.nul();
            continue;
          }
          switch (fields.get(i).type()) {
            case STRING -> rows.text((String) v);
            case INTEGER -> rows.number((Long) v);
            case REAL -> rows.number((Double) v);
            case BOOLEAN -> rows.bool((Boolean) v);
            case TIMESTAMP -> rows.text(IsoTimestamp.format((Long) v));
          }
        }
        rows.endRow();
      }
      rows.finish();
    } catch (SQLException | RuntimeException e) {
      rows.cancel();
      throw new StoreException(
          "cannot write store "
              + store.location()
              + ": layer "
              + def.name()
              + ": "
              + e.getMessage()
              + " (nothing was written)",
          e);
    }
  }

  /** The generalised polygons of every layer in {@code generalised}, with COPY. */
  void copyGeneralised(CopyManager copy, Generalised generalised) throws SQLException {
    CopyRows rows =
        new CopyRows(
            copy.copyIn(
                "COPY " + PgSchema.TILE_GEOMETRIES + " (layer, zoom, fid, geom) FROM STDIN"));
    for (String layer : generalised.layers().stream().sorted().toList()) {
      for (int zoom : generalised.zooms(layer).stream().sorted().toList()) {
        Map<Long, Geometry> byId = generalised.get(layer, zoom);
        long[] ids = byId.keySet().stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(ids);
        for (long id : ids) {
          try {
            rows.text(layer).number(zoom).number(id).hex(ewkb.write(byId.get(id), 3857));
          } catch (RuntimeException e) {
            rows.cancel(); // so that the transaction can roll back
            throw new StoreException(
                "cannot write store "
                    + store.location()
                    + ": generalised "
                    + layer
                    + " z"
                    + zoom
                    + " feature "
                    + id
                    + ": "
                    + e
                    + " (nothing was written)",
                e);
          }
          rows.endRow();
        }
      }
    }
    rows.finish();
  }

  private static void check(Layer layer) {
    LayerDef def = layer.def();
    List<Field> fields = def.fields();
    for (Feature f : layer.features()) {
      DatasetCheck.geometry(def, f);
      DatasetCheck.arity(def, f);
      for (int i = 0; i < fields.size(); i++) {
        if (f.value(i) != null) {
          DatasetCheck.value(def, f, fields.get(i), f.value(i));
        }
      }
    }
  }
}
