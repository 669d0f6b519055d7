package io.gridmap.importer.admin;

import io.gridmap.importer.admin.HierarchyProblem.Rule;
import io.gridmap.importer.clean.UnitCleaner;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.ImportSummary;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.LayerImport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/**
 * Imports a file into one of the built-in admin layers (districts, streets, villages, grids) and
 * keeps the hierarchy whole:
 *
 * <ol>
 *   <li>the file is read and checked as any import reads it ({@link LayerImporter}, writing
 *       nothing): coordinates, encodings, invalid polygons, codes present and unique;
 *   <li>the file's units replace those of every parent it touches (other parents keep theirs); the
 *       level, rounded to the store's 1e-7 degree grid, is checked by {@link HierarchyCheck}
 *       against the level above and the level below in the store;
 *   <li>with {@code --repair}, overlaps, gaps, parts outside a parent and unmatched edges are
 *       cleaned as the generator cleans ({@link UnitCleaner}), and the level below is made to
 *       follow the new outlines the same way; codes are never repaired;
 *   <li>when grids change, key sites and open incidents go to the grid they stand in, forces keep
 *       their grid unless the file maps old codes to new ones ({@code old_code}) or names a grid's
 *       worker ({@code worker_id}), and every grid must keep a full-time worker ({@link
 *       Ownership});
 *   <li>populations given in the file are summed up the hierarchy, the changed levels generalised
 *       again per zoom, and the whole city written in one store write: all of it, or none.
 * </ol>
 *
 * Any problem left refuses the import and writes the validation report ({@link ValidationReport}).
 * The store is rewritten whole ({@link FeatureStore#write}), which starts its change log and
 * feature history again: a server running on the store must be restarted to see the import.
 */
public final class AdminImport {
  private final FeatureStore store;
  private final AdminLevel level;
  private final ImportOptions options;
  private final Path report;
  private final LayerImporter.Progress progress;
  private final String who;

  /**
   * @param options as for any import; its layer is the admin layer's name, and {@code --repair}
   *     also cleans the hierarchy
   * @param report where the validation report goes when there is something to report
   */
  public AdminImport(
      FeatureStore store,
      ImportOptions options,
      Path report,
      LayerImporter.Progress progress,
      String who) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    this.level =
        levelOf(options.layer())
            .orElseThrow(
                () -> new IllegalArgumentException(options.layer() + " is not an admin layer"));
    this.report = Objects.requireNonNull(report, "report");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.who = Objects.requireNonNull(who, "who");
  }

  /** The admin level a layer name holds: districts, streets, villages or grids. */
  public static Optional<AdminLevel> levelOf(String layer) {
    return Arrays.stream(AdminLevel.values()).filter(l -> l.layerName().equals(layer)).findFirst();
  }

  /**
   * Runs the import.
   *
   * @throws HierarchyRefused when the hierarchy would not hold (the report is written)
   * @throws io.gridmap.importer.load.ImportRefused for features any import refuses
   * @throws io.gridmap.importer.read.ImportException for a file that cannot be read
   * @throws IllegalArgumentException for a file without codes or of points, or a value of the wrong
   *     type
   */
  public AdminImportSummary run(FeatureReader reader) throws IOException {
    long t0 = System.nanoTime();
    progress.step("reading the city from " + store.location());
    Dataset city = store.holdsACity() ? store.read() : io.gridmap.importer.load.EmptyCity.of();
    Prepared p = prepare(reader, city);
    String layer = level.layerName();
    AdminLevel below = level == AdminLevel.GRID ? null : AdminLevel.values()[level.ordinal() + 1];
    Map<String, Layer> after = new LinkedHashMap<>(city.layers());
    after.putAll(p.after());
    progress.step("generalising " + layer + " for every zoom");
    io.gridmap.layers.model.Generalised generalised = city.generalised();
    CoverageGeneraliser.generalise(after.get(layer), generalised);
    if (p.followed() > 0) {
      CoverageGeneraliser.generalise(after.get(below.layerName()), generalised);
    }
    boolean write = !options.dryRun();
    if (write) {
      progress.step("writing the city to " + store.location());
      store.write(new Dataset(after, withCounts(city.metadata(), after), generalised));
      store.audit(audit(p.file(), p.added(), p.changed(), p.removed(), p.moves().size()));
    }
    return p.summary(write, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * An import read, checked and applied to the city in memory, nothing written.
   *
   * @param after the layers the import changes, whole as they are after it: the admin layer first,
   *     the level below when --repair made it follow, key sites, forces and incidents when grids
   *     changed, the parents when populations were summed; layers not named are as they were
   */
  public record Prepared(
      String file,
      String crs,
      Map<String, Layer> after,
      int added,
      int changed,
      int unchanged,
      int removed,
      List<UnitCleaner.Move> moves,
      int followed,
      Ownership.Result owners,
      Path report,
      List<String> notes) {

    /** The summary of this import. */
    public AdminImportSummary summary(boolean written, double seconds) {
      return new AdminImportSummary(
          file,
          after.keySet().iterator().next(),
          crs,
          added,
          changed,
          unchanged,
          removed,
          moveCounts(moves),
          followed,
          owners == null ? 0 : owners.sitesMoved(),
          owners == null ? 0 : owners.eventsMoved(),
          owners == null ? 0 : owners.forcesMoved(),
          report,
          notes,
          written,
          seconds);
    }
  }

  /**
   * Reads the file and applies it to {@code city} in memory: the same reading, hierarchy checks,
   * repair and ownership as {@link #run}, writing nothing but the validation report. The command
   * line runs it on the city it read from the store; a running server on the city its index holds,
   * and writes the difference as changes ({@link AdminChanges}).
   *
   * @throws HierarchyRefused when the hierarchy would not hold (the report is written)
   */
  public Prepared prepare(FeatureReader reader, Dataset city) throws IOException {
    return prepare(reader, city, false);
  }

  /**
   * {@link #prepare(FeatureReader, Dataset)}, judging with {@code neighbourhood} only the units the
   * import can break: those of the parents it touches and of every parent with a unit next to them
   * (whole, so that their gaps are seen), their children, and the grids of those units. Every
   * problem the import can cause lies there (an overlap or an unmatched edge is between neighbours,
   * a gap or a part outside is within a touched parent); a problem the map already had elsewhere is
   * not this import's and does not refuse it, and a running server plans a village's grids in
   * milliseconds instead of checking the whole level (minutes at 65,000 grids) on its writer
   * thread.
   */
  public Prepared prepare(FeatureReader reader, Dataset city, boolean neighbourhood)
      throws IOException {
    String file = reader.file().getFileName().toString();
    String layer = level.layerName();
    LayerDef def = Catalogue.byName(layer).orElseThrow();
    LayerImport[] staged = new LayerImport[1];
    ImportSummary read =
        new LayerImporter(store, staging(), progress, who)
            .beforeWrite(l -> staged[0] = l)
            .run(reader);
    LayerImport in = staged[0];
    if (in.def().kind() != GeometryKind.POLYGON) {
      throw new IllegalArgumentException(
          layer + " holds polygons, and " + file + " holds points: import it into its own layer");
    }
    int codeField = in.def().fieldIndex("code");
    if (codeField < 0) {
      throw new IllegalArgumentException(
          file
              + " has no code column; "
              + layer
              + " are matched and nested by their codes: map the column with --map code=COLUMN");
    }
    List<String> notes = new ArrayList<>();
    List<String> unused =
        in.def().fields().stream()
            .map(f -> f.name())
            .filter(n -> def.fieldIndex(n) < 0 && !n.equals("old_code"))
            .toList();
    if (!unused.isEmpty()) {
      notes.add(
          "columns " + String.join(", ", unused) + " are not fields of " + layer + ": left out");
    }

    Map<String, Geometry> units = new LinkedHashMap<>();
    Map<String, Feature> given = new HashMap<>();
    for (Feature f : in.features()) {
      String code = f.string(codeField);
      units.put(code, onGrid(f.geometry()));
      given.put(code, f);
    }
    // the file replaces the units of every parent it touches; the other parents keep theirs
    Map<String, Feature> old = byCode(city.layer(layer));
    Set<String> touched = new java.util.HashSet<>();
    given.keySet().forEach(c -> touched.add(scope(c)));
    int kept = 0;
    for (Map.Entry<String, Feature> e : new TreeMap<>(old).entrySet()) {
      if (!units.containsKey(e.getKey()) && !touched.contains(scope(e.getKey()))) {
        units.put(e.getKey(), e.getValue().geometry());
        kept++;
      }
    }
    if (kept > 0) {
      notes.add(
          kept
              + " "
              + layer
              + (level == AdminLevel.DISTRICT
                  ? " the file does not hold are kept as they were"
                  : " of "
                      + HierarchyCheck.parentLevel(level).layerName()
                      + " the file does not touch are kept as they were"));
    }
    AdminLevel above = level == AdminLevel.DISTRICT ? null : HierarchyCheck.parentLevel(level);
    AdminLevel below = level == AdminLevel.GRID ? null : AdminLevel.values()[level.ordinal() + 1];
    Map<String, Geometry> parents =
        above == null ? Map.of() : outlines(city.layer(above.layerName()));
    Map<String, Geometry> children =
        below == null ? new LinkedHashMap<>() : outlines(city.layer(below.layerName()));

    if (neighbourhood && level != AdminLevel.DISTRICT) {
      near = new HashSet<>();
      nearOld = new HashSet<>();
      neighbourhood(units, old, touched);
    }
    progress.step("checking that " + layer + " keep the hierarchy");
    List<HierarchyProblem> problems = check(units, parents, children);
    List<UnitCleaner.Move> moves = new ArrayList<>();
    Set<String> followed = new TreeSet<>();
    if (!problems.isEmpty() && options.repair() && repairable(problems)) {
      progress.step("repairing " + problems.size() + " problems as the generator cleans");
      repair(units, parents, problems, layer, moves);
      problems = check(units, parents, children);
      String belowLayer = below == null ? "" : below.layerName();
      if (problems.stream().anyMatch(p -> p.layer().equals(belowLayer)) && repairable(problems)) {
        followed = repair(children, units, problems, below.layerName(), moves);
        problems = check(units, parents, children);
      }
    }
    if (!problems.isEmpty()) {
      throw refused(file, problems, moves);
    }

    // the admin layer first: Prepared.summary names it
    Map<String, Layer> after = new LinkedHashMap<>();
    List<Feature> features = new ArrayList<>(units.size());
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    for (Map.Entry<String, Geometry> u : units.entrySet()) {
      Feature was = old.get(u.getKey());
      Feature f = given.get(u.getKey());
      Object[] values =
          AdminValues.of(
              def,
              u.getKey(),
              name -> {
                int i = in.def().fieldIndex(name);
                return i < 0 || f == null ? null : f.value(i);
              },
              was,
              u.getValue());
      // an outline drawn as before keeps the stored geometry: rounding may start its rings
      // elsewhere
      Geometry outline =
          was != null && sameShape(was.geometry(), u.getValue()) ? was.geometry() : u.getValue();
      Feature now = new Feature(Long.parseLong(u.getKey()), outline, values, false);
      features.add(now);
      if (was == null) {
        added++;
      } else if (was.geometry().equalsExact(now.geometry())
          && Arrays.equals(was.values(), now.values())) {
        unchanged++;
      } else {
        changed++;
      }
    }
    int removed = (int) old.keySet().stream().filter(c -> !units.containsKey(c)).count();
    after.put(layer, new Layer(def, features));
    if (!followed.isEmpty()) {
      after.put(below.layerName(), withOutlines(city.layer(below.layerName()), children));
    }

    Ownership.Result owners = null;
    boolean gridsChanged =
        level == AdminLevel.GRID || below == AdminLevel.GRID && !followed.isEmpty();
    if (gridsChanged) {
      progress.step("re-assigning key sites, open incidents and forces");
      Map<String, Geometry> grids = level == AdminLevel.GRID ? units : children;
      Map<String, String> oldToNew = new HashMap<>();
      Map<String, Long> workerIds = new HashMap<>();
      if (level == AdminLevel.GRID) {
        problems.addAll(mappings(in, given, oldToNew, workerIds));
      }
      boolean roster = !city.layer("forces").features().isEmpty();
      if (near != null) {
        Layer forces = city.layer("forces");
        int served = forces.def().requireField("grid_code");
        Set<Long> named = new HashSet<>(workerIds.values());
        for (Feature f : forces.features()) {
          if (named.contains(f.id()) && f.string(served) != null) {
            namedFrom.add(f.string(served));
          }
        }
        Layer before = city.layer("grids");
        int gridCode = before.def().requireField("code");
        for (Feature g : before.features()) {
          if (gridNear(g.string(gridCode))) {
            oldGrids.add(g.geometry());
          }
        }
      }
      owners =
          Ownership.follow(
              nearby(city.layer("key_sites"), grids),
              nearbyForces(city.layer("forces"), workerIds),
              nearby(city.layer("events"), grids),
              grids,
              oldToNew,
              workerIds);
      List<HierarchyProblem> ownership = new ArrayList<>(owners.problems());
      if (!roster) {
        ownership.removeIf(p -> p.rule() == Rule.NO_WORKER);
        notes.add(
            "the store holds no forces yet: grids have no full-time worker until a roster is"
                + " there");
      }
      if (near != null) {
        // only the grids of the neighbourhood: another village's worker is not this import's
        ownership.removeIf(p -> !judged(p));
      }
      problems.addAll(ownership);
      if (!problems.isEmpty()) {
        throw refused(file, problems, moves);
      }
      after.put("key_sites", owners.sites());
      after.put("forces", owners.forces());
      after.put("events", owners.events());
      Layer gridLayer = after.get("grids");
      after.put("grids", withWorkers(gridLayer, owners.workers()));
    }
    if (in.def().fieldIndex("population") >= 0 || in.def().fieldIndex("households") >= 0) {
      for (int l = level.ordinal(); l > 0; l--) {
        String child = AdminLevel.values()[l].layerName();
        String parent = AdminLevel.values()[l - 1].layerName();
        after.put(
            parent,
            summed(
                after.getOrDefault(parent, city.layer(parent)),
                after.getOrDefault(child, city.layer(child))));
      }
      notes.add("population and households summed up to the districts");
    }

    Path written = null;
    if (!moves.isEmpty()) {
      ValidationReport.write(report, List.of(), moves, "repaired: " + moveCounts(moves));
      written = report;
    }
    return new Prepared(
        file,
        read.crs(),
        after,
        added,
        changed,
        unchanged,
        removed,
        moves,
        followed.size(),
        owners,
        written,
        notes);
  }

  /**
   * What a unit's import replaces: for districts the district itself, below them all the units of
   * its parent (a file of one village's grids replaces that village's grids only).
   */
  private String scope(String code) {
    return level == AdminLevel.DISTRICT || code.length() <= 3
        ? code
        : HierarchyCheck.parentCode(code);
  }

  /** The file read into a scratch layer name, one zoom, nothing written. */
  private ImportOptions staging() {
    return new ImportOptions(
        "admin_import_" + level.layerName(),
        "",
        options.crs(),
        options.map(),
        Optional.empty(),
        Set.of(),
        Set.of(),
        Optional.of(14),
        Optional.of(14),
        Optional.empty(),
        false,
        options.repair(),
        true);
  }

  /** The codes of the units judged in a neighbourhood check; null: the whole level. */
  private Set<String> near;

  /** The old units of the parents the neighbourhood holds: their children may be orphaned. */
  private Set<String> nearOld;

  private List<HierarchyProblem> check(
      Map<String, Geometry> units, Map<String, Geometry> parents, Map<String, Geometry> children) {
    if (near == null) {
      return new ArrayList<>(
          HierarchyCheck.check(level, asUnits(units), parents, asUnits(children)));
    }
    Map<String, Geometry> mine = new LinkedHashMap<>();
    Map<String, Geometry> frames = new LinkedHashMap<>(); // their parents: each is judged whole
    units.forEach(
        (code, g) -> {
          if (near.contains(code)) {
            mine.put(code, g);
            String p = parentOf(code);
            if (parents.containsKey(p)) {
              frames.put(p, parents.get(p));
            }
          }
        });
    Map<String, Geometry> theirs = new LinkedHashMap<>();
    children.forEach(
        (code, g) -> {
          String p = parentOf(code);
          if (near.contains(p) || nearOld.contains(p)) {
            theirs.put(code, g);
          }
        });
    return new ArrayList<>(HierarchyCheck.check(level, asUnits(mine), frames, asUnits(theirs)));
  }

  /**
   * Fills {@link #near}: the parents the file touches, the parents of every unit whose outline
   * meets a touched unit's (old or new), and all the units of those parents.
   */
  private void neighbourhood(
      Map<String, Geometry> units, Map<String, Feature> old, Set<String> touched) {
    org.locationtech.jts.index.strtree.STRtree around =
        new org.locationtech.jts.index.strtree.STRtree();
    units.forEach(
        (code, g) -> {
          if (touched.contains(scope(code))) {
            around.insert(g.getEnvelopeInternal(), code);
          }
        });
    old.forEach(
        (code, f) -> {
          if (touched.contains(scope(code))) {
            around.insert(f.geometry().getEnvelopeInternal(), code);
          }
        });
    Set<String> scopes = new HashSet<>(touched);
    units.forEach(
        (code, g) -> {
          if (!scopes.contains(scope(code)) && !around.query(g.getEnvelopeInternal()).isEmpty()) {
            scopes.add(scope(code));
          }
        });
    units.keySet().stream().filter(c -> scopes.contains(scope(c))).forEach(near::add);
    old.keySet().stream().filter(c -> scopes.contains(scope(c))).forEach(nearOld::add);
  }

  /**
   * In a neighbourhood check, the key sites or incidents that stand where the neighbourhood's grids
   * are (old or new): a point elsewhere stays in the grid it is in, so the layers that come back
   * are these features only, which is what a running server writes changes for (not a million
   * incidents located again on its writer thread). The whole layer otherwise.
   */
  private Layer nearby(Layer points, Map<String, Geometry> grids) {
    if (near == null) {
      return points;
    }
    org.locationtech.jts.geom.Envelope area = new org.locationtech.jts.geom.Envelope();
    grids.forEach(
        (code, g) -> {
          if (gridNear(code)) {
            area.expandToInclude(g.getEnvelopeInternal());
          }
        });
    oldGrids.forEach(g -> area.expandToInclude(g.getEnvelopeInternal()));
    List<Feature> out = new ArrayList<>();
    for (Feature f : points.features()) {
      if (area.intersects(f.geometry().getEnvelopeInternal())) {
        out.add(f);
      }
    }
    return new Layer(points.def(), out);
  }

  /**
   * In a neighbourhood check, the forces that serve a grid of the neighbourhood (old or new) or
   * that the file names a grid's worker; every force otherwise.
   */
  private Layer nearbyForces(Layer forces, Map<String, Long> workerIds) {
    if (near == null) {
      return forces;
    }
    int grid = forces.def().requireField("grid_code");
    java.util.Set<Long> named = new HashSet<>(workerIds.values());
    List<Feature> out = new ArrayList<>();
    for (Feature f : forces.features()) {
      String g = f.string(grid);
      if (named.contains(f.id()) || (g != null && gridNear(g))) {
        out.add(f);
      }
    }
    return new Layer(forces.def(), out);
  }

  /**
   * The grids the forces a file names as workers serve now: they lose that force, so they are
   * judged too (a grid must keep a full-time worker), wherever they are.
   */
  private final Set<String> namedFrom = new HashSet<>();

  /** Outlines of the neighbourhood's grids before the import, for {@link #nearby(Layer, Map)}. */
  private final List<Geometry> oldGrids = new ArrayList<>();

  /** Whether a grid belongs to the neighbourhood judged. */
  private boolean gridNear(String grid) {
    return namedFrom.contains(grid) || level == AdminLevel.GRID
        ? near.contains(grid) || nearOld.contains(grid)
        : near.contains(parentOf(grid));
  }

  /** Whether an ownership problem concerns a grid of the neighbourhood judged. */
  private boolean judged(HierarchyProblem p) {
    String grid = p.rule() == Rule.FORCE_GRID_REMOVED ? p.other() : p.code();
    if (grid == null) {
      return true;
    }
    return gridNear(grid);
  }

  /** The parent's code, or "" for a code too short to have one (a bad code: refused anyway). */
  private static String parentOf(String code) {
    return code.length() > 3 ? HierarchyCheck.parentCode(code) : "";
  }

  /**
   * Cleans, within their parents, the units of {@code layer} the problems name, and makes their
   * edges meet their neighbours'.
   *
   * @return the codes of the units cleaned
   */
  private static Set<String> repair(
      Map<String, Geometry> target,
      Map<String, Geometry> frames,
      List<HierarchyProblem> problems,
      String layer,
      List<UnitCleaner.Move> moves) {
    boolean top = frames.isEmpty();
    Set<String> dirty = new TreeSet<>();
    for (HierarchyProblem p : problems) {
      if (!p.layer().equals(layer)) {
        continue;
      }
      if (top) {
        dirty.add("");
      } else if (p.rule() == Rule.GAP) {
        dirty.add(p.code()); // a gap names the parent
      } else {
        dirty.add(HierarchyCheck.parentCode(p.code()));
        if (p.rule() == Rule.OVERLAP && p.other() != null) {
          dirty.add(HierarchyCheck.parentCode(p.other()));
        }
      }
    }
    Set<String> changed = new TreeSet<>();
    for (String parent : dirty) {
      TreeMap<String, Geometry> mine = new TreeMap<>();
      target.forEach(
          (code, g) -> {
            if (top || HierarchyCheck.parentCode(code).equals(parent)) {
              mine.put(code, g);
            }
          });
      if (mine.isEmpty()) {
        continue;
      }
      UnitCleaner.Cleaned cleaned = UnitCleaner.within(top ? null : frames.get(parent), mine);
      target.putAll(cleaned.units());
      moves.addAll(cleaned.moves());
      changed.addAll(mine.keySet());
    }
    UnitCleaner.shareVertices(target, changed);
    return changed;
  }

  private static boolean repairable(List<HierarchyProblem> problems) {
    return problems.stream().allMatch(p -> p.rule().repairable());
  }

  private HierarchyRefused refused(
      String file, List<HierarchyProblem> problems, List<UnitCleaner.Move> moves) {
    String summary =
        file
            + " into "
            + level.layerName()
            + ": "
            + HierarchyCheck.counts(problems)
            + (moves.isEmpty() ? "" : "; after --repair moved " + moveCounts(moves));
    ValidationReport.write(report, problems, moves, summary);
    String why =
        options.repair()
            ? (repairable(problems)
                ? "--repair could not fix these"
                : "--repair fixes geometry," + " not codes or assignments")
            : repairable(problems) ? "pass --repair to clean them as the generator does" : "";
    return new HierarchyRefused(file, problems, report, why);
  }

  /**
   * The file's {@code old_code} (old grid codes, separated by commas, semicolons or spaces) and
   * {@code worker_id} columns.
   */
  private static List<HierarchyProblem> mappings(
      LayerImport in,
      Map<String, Feature> given,
      Map<String, String> oldToNew,
      Map<String, Long> workerIds) {
    List<HierarchyProblem> problems = new ArrayList<>();
    int oldField = in.def().fieldIndex("old_code");
    int workerField = in.def().fieldIndex("worker_id");
    for (Map.Entry<String, Feature> e : new TreeMap<>(given).entrySet()) {
      Feature f = e.getValue();
      if (oldField >= 0 && f.value(oldField) != null) {
        for (String old : f.value(oldField).toString().split("[,;\\s]+")) {
          if (old.isEmpty()) {
            continue;
          }
          String before = oldToNew.putIfAbsent(old, e.getKey());
          if (before != null && !before.equals(e.getKey())) {
            problems.add(
                new HierarchyProblem(
                    Rule.OLD_CODE,
                    "grids",
                    e.getKey(),
                    old,
                    f.geometry(),
                    0,
                    "old grid "
                        + old
                        + " is mapped to both "
                        + before
                        + " and "
                        + e.getKey()
                        + "; its forces can serve one grid only",
                    "map each old code to one new grid; name the other grid's worker in"
                        + " worker_id"));
          }
        }
      }
      if (workerField >= 0 && f.value(workerField) != null) {
        try {
          workerIds.put(e.getKey(), Long.parseLong(f.value(workerField).toString().trim()));
        } catch (NumberFormatException x) {
          problems.add(
              new HierarchyProblem(
                  Rule.NO_WORKER,
                  "grids",
                  e.getKey(),
                  null,
                  f.geometry(),
                  0,
                  "worker_id '" + f.value(workerField) + "' of grid " + e.getKey() + " is no id",
                  "give the id of a force whose role is grid_worker"));
        }
      }
    }
    return problems;
  }

  private static Layer withOutlines(Layer layer, Map<String, Geometry> outlines) {
    int code = layer.def().requireField("code");
    List<Feature> out = new ArrayList<>(layer.size());
    for (Feature f : layer.features()) {
      Geometry g = outlines.getOrDefault(f.string(code), f.geometry());
      out.add(new Feature(f.id(), g, f.values(), f.personal()));
    }
    return new Layer(layer.def(), out);
  }

  private static Layer withWorkers(Layer grids, Map<String, Feature> workers) {
    int code = grids.def().requireField("code");
    int id = grids.def().requireField("worker_id");
    int name = grids.def().requireField("worker_name");
    int forceName = Catalogue.FORCES.requireField("name");
    List<Feature> out = new ArrayList<>(grids.size());
    for (Feature f : grids.features()) {
      Feature w = workers.get(f.string(code));
      if (w == null) {
        out.add(f);
        continue;
      }
      Object[] v = f.values().clone();
      v[id] = w.id();
      v[name] = w.value(forceName);
      out.add(new Feature(f.id(), f.geometry(), v, f.personal()));
    }
    return new Layer(grids.def(), out);
  }

  /** The parents with population and households the sums of their children's. */
  private static Layer summed(Layer parents, Layer children) {
    int childPeople = children.def().requireField("population");
    int childHomes = children.def().requireField("households");
    Map<String, long[]> sums = new HashMap<>();
    int childCode = children.def().requireField("code");
    for (Feature c : children.features()) {
      long[] s =
          sums.computeIfAbsent(HierarchyCheck.parentCode(c.string(childCode)), k -> new long[2]);
      s[0] += c.value(childPeople) == null ? 0 : c.longValue(childPeople);
      s[1] += c.value(childHomes) == null ? 0 : c.longValue(childHomes);
    }
    int code = parents.def().requireField("code");
    int people = parents.def().requireField("population");
    int homes = parents.def().requireField("households");
    List<Feature> out = new ArrayList<>(parents.size());
    for (Feature p : parents.features()) {
      long[] s = sums.getOrDefault(p.string(code), new long[2]);
      Object[] v = p.values().clone();
      v[people] = s[0];
      v[homes] = s[1];
      out.add(new Feature(p.id(), p.geometry(), v, p.personal()));
    }
    return new Layer(parents.def(), out);
  }

  private static List<String> moveCounts(List<UnitCleaner.Move> moves) {
    Map<String, double[]> byKind = new TreeMap<>();
    for (UnitCleaner.Move m : moves) {
      double[] s = byKind.computeIfAbsent(m.kind(), k -> new double[2]);
      s[0]++;
      s[1] += m.areaM2();
    }
    List<String> out = new ArrayList<>();
    byKind.forEach(
        (k, s) ->
            out.add(
                String.format(
                    Locale.ROOT,
                    "%d %s piece%s (%.1f m²)",
                    (int) s[0],
                    k,
                    s[0] == 1 ? "" : "s",
                    s[1])));
    return out;
  }

  private String audit(String file, int added, int changed, int removed, int moved) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("action", "layer.import");
    entry.put("by", who);
    entry.put("layer", level.layerName());
    entry.put("file", file);
    entry.put("added", added);
    entry.put("changed", changed);
    entry.put("removed", removed);
    entry.put("repaired_pieces", moved);
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(entry);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the audit entry", e);
    }
  }

  private static Map<String, Geometry> outlines(Layer layer) {
    int code = layer.def().requireField("code");
    Map<String, Geometry> out = new LinkedHashMap<>();
    for (Feature f : layer.features()) {
      out.put(f.string(code), f.geometry());
    }
    return out;
  }

  private static Map<String, Feature> byCode(Layer layer) {
    int code = layer.def().requireField("code");
    Map<String, Feature> out = new HashMap<>();
    for (Feature f : layer.features()) {
      out.put(f.string(code), f);
    }
    return out;
  }

  private static List<AdminUnit> asUnits(Map<String, Geometry> units) {
    List<AdminUnit> out = new ArrayList<>(units.size());
    units.forEach((code, g) -> out.add(new AdminUnit(code, g)));
    return out;
  }

  /** The metadata with the layers' counts as they are now, and a note of the import. */
  private io.gridmap.layers.model.DatasetMetadata withCounts(
      io.gridmap.layers.model.DatasetMetadata m, Map<String, Layer> layers) {
    Map<String, Integer> counts = new LinkedHashMap<>(m.counts());
    layers.forEach((name, l) -> counts.computeIfPresent(name, (k, v) -> l.size()));
    Map<String, String> notes = new LinkedHashMap<>(m.notes());
    notes.put("imported_" + level.layerName(), java.time.Instant.now().toString() + " by " + who);
    return new io.gridmap.layers.model.DatasetMetadata(
        m.name(),
        m.seed(),
        m.scale(),
        m.districtCodes(),
        m.createdAt(),
        counts,
        m.hotspots(),
        notes);
  }

  private static boolean sameShape(Geometry a, Geometry b) {
    return a.equalsExact(b) || a.norm().equalsExact(b.norm());
  }

  /**
   * On the store's 1e-7 degree grid, as every stored outline is, and a MultiPolygon of one part as
   * its Polygon: GDAL writes every polygon of a GeoPackage or Shapefile as a MultiPolygon, and the
   * city's units are Polygons unless they have several parts.
   */
  private static Geometry onGrid(Geometry g) {
    Geometry reduced = GeometryPrecisionReducer.reduce(g, FixedGrid.PRECISION);
    Geometry out = reduced.isEmpty() ? g : reduced;
    if (out instanceof org.locationtech.jts.geom.MultiPolygon mp && mp.getNumGeometries() == 1) {
      out = mp.getGeometryN(0);
    }
    return FixedGrid.FACTORY.createGeometry(out);
  }
}
