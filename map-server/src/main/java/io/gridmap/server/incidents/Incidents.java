package io.gridmap.server.incidents;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Department;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.locate.GridLocation;
import io.gridmap.layers.query.locate.GridLocator;
import io.gridmap.layers.query.nearest.NearestPoints;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.write.Writer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Incidents: reported, routed and moved through the closed loop, every step one write through the
 * one writer. The HTTP routes, Open311 and the device consumer all come here, so a report is the
 * same report however it arrived.
 *
 * <p>Plans run on the writer thread, one after another, against the index plus the writes of their
 * group not swapped in yet ({@link Writer#latest()}): so a transition sees the transition before it
 * even in one group (two dispatches of one incident: the second fails its If-Match), and the fields
 * here that plans keep (the next id, recent reports for duplicates, request keys) are only touched
 * on that thread, except the request-key map, which readers consult first.
 */
public final class Incidents {
  /** New reports get ids from here up: 14 digits, apart from the generated history's. */
  public static final long FIRST_ID = 10_000_000_000_000L;

  /** Reports of one category within this distance and {@link #DUPLICATE_MILLIS} are one thing. */
  public static final double DUPLICATE_METRES = 30;

  public static final long DUPLICATE_MILLIS = 30 * 60_000L;

  /** Responders are looked for within this distance. */
  public static final double RESPONDER_METRES = 5_000;

  /** Categories whose incidents concern a person at home: personal features. */
  static final Set<String> PERSONAL_CATEGORIES =
      Set.of(EventCategory.WRISTBAND_ALARM.code(), EventCategory.ELDERLY_CARE_REQUEST.code());

  /** Reported points: as the store's readers make them ({@code PointXY}, two objects a point). */
  private static final GeometryFactory POINTS =
      new GeometryFactory(
          new PrecisionModel(1e7), 4326, io.gridmap.layers.geo.CompactPoints.INSTANCE);

  static final LayerDef DEF = Catalogue.EVENTS;

  private final Loaded<Content> content;
  private final Loaded<Writer> writer;
  private final Deadlines deadlines;
  private final ResponderRoles responders;
  private final LongSupplier clock;

  /** request key -> incident id; filled from the index on first use, then by every report. */
  private final Map<String, Long> requestKeys = new ConcurrentHashMap<>();

  private volatile boolean keysLoaded;

  // writer thread only
  private long nextId = -1;
  private final Deque<Recent> recent = new ArrayDeque<>();

  /** The locator and the grids it was built over; replaced when a redraw changes the grids. */
  private volatile Located located;

  private record Located(LayerIndex grids, GridLocator locator) {}

  private record Recent(long id, String category, double lon, double lat, long time) {}

  /**
   * @param deadlines how long each step may take
   * @param responders which forces urgent incidents need
   * @param clock the time, epoch millis (tests move it)
   */
  public Incidents(
      Loaded<Content> content,
      Loaded<Writer> writer,
      Deadlines deadlines,
      ResponderRoles responders,
      LongSupplier clock) {
    this.content = content;
    this.writer = writer;
    this.deadlines = deadlines;
    this.responders = responders;
    this.clock = clock;
  }

  public Deadlines deadlines() {
    return deadlines;
  }

  public long now() {
    return clock.getAsLong();
  }

  public Content content() {
    return content.get();
  }

  /** The one writer (a 503 while loading). */
  public Writer writer() {
    return writer.get();
  }

  /** What a report became. */
  public record Reported(Feature incident, Placement placement, boolean created, long seq) {}

  /**
   * The incident a request key made before, if any: a retried report answers with it and writes
   * nothing.
   */
  public Feature byRequestKey(String key) {
    if (key == null) {
      return null;
    }
    loadKeys();
    Long id = requestKeys.get(key);
    return id == null ? null : find(id);
  }

  /** The incident of this id as readers see it now, or null. */
  public Feature find(long id) {
    return content.get().index().findLayer(DEF.name()).flatMap(l -> l.byId(id)).orElse(null);
  }

  private void loadKeys() {
    if (keysLoaded) {
      return;
    }
    synchronized (requestKeys) {
      if (!keysLoaded) {
        int key = DEF.fieldIndex("request_key");
        content
            .get()
            .index()
            .findLayer(DEF.name())
            .ifPresent(
                l -> {
                  for (Feature f : l.features()) {
                    if (f.value(key) instanceof String k) {
                      requestKeys.putIfAbsent(k, f.id());
                    }
                  }
                });
        keysLoaded = true;
      }
    }
  }

  /** Reports an incident: located, routed, written; completes once readers see it. */
  public CompletableFuture<Reported> report(Principal who, Report r) {
    Feature earlier = byRequestKey(r.requestKey());
    if (earlier != null) {
      return CompletableFuture.completedFuture(
          new Reported(earlier, placement(content.get().index(), earlier), false, 0));
    }
    ReportPlan plan = new ReportPlan(who, r);
    CompletableFuture<Reported> out = new CompletableFuture<>();
    writer
        .get()
        .submit(new Writer.Write(who, "incident.report", DEF.name(), plan))
        .whenComplete(
            (written, failure) -> {
              Throwable cause =
                  failure instanceof java.util.concurrent.CompletionException c
                      ? c.getCause()
                      : failure;
              if (cause instanceof AlreadyReported again) {
                Feature f = find(again.id);
                out.complete(new Reported(f, placement(content.get().index(), f), false, 0));
              } else if (cause != null) {
                out.completeExceptionally(cause);
              } else {
                out.complete(
                    new Reported(
                        written.change().after().get(0), plan.placement, true, written.seq()));
              }
            });
    return out;
  }

  /** A retry found in the plan (two retries raced): answered with the first. */
  static final class AlreadyReported extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long id;

    AlreadyReported(long id) {
      super("already reported as incident " + id, null, false, false);
      this.id = id;
    }
  }

  /** The placement of an incident already written (a retried report's answer). */
  Placement placement(CityIndex index, Feature incident) {
    Coordinate c = incident.geometry().getCoordinate();
    GridLocation at = locator(index).locate(c.x, c.y);
    Feature assignee = null;
    Object a = incident.value(DEF.fieldIndex("assignee_id"));
    if (a instanceof Long id) {
      assignee = index.findLayer(Catalogue.FORCES.name()).flatMap(l -> l.byId(id)).orElse(null);
    }
    Object d = incident.value(DEF.fieldIndex("duplicate_of"));
    return new Placement(
        at == null ? null : at.grid(),
        at == null ? null : at.village(),
        at == null ? null : at.street(),
        at == null ? null : at.district(),
        assignee,
        responders(index, incident),
        d instanceof Long l ? l : null);
  }

  private List<NearestPoints.Neighbour> responders(CityIndex index, Feature incident) {
    Object r = incident.value(DEF.fieldIndex("responders"));
    if (!(r instanceof String s) || s.isBlank()) {
      return List.of();
    }
    LayerIndex forces = index.findLayer(Catalogue.FORCES.name()).orElse(null);
    List<NearestPoints.Neighbour> out = new ArrayList<>();
    for (String part : s.split(" ")) {
      String[] idm = part.split(":");
      Feature f = forces == null ? null : forces.byId(Long.parseLong(idm[0])).orElse(null);
      if (f != null) {
        out.add(new NearestPoints.Neighbour(f, Double.parseDouble(idm[1])));
      }
    }
    return out;
  }

  private GridLocator locator(CityIndex index) {
    LayerIndex grids = index.layer(Catalogue.GRIDS.name());
    Located l = located;
    if (l == null || l.grids() != grids) {
      // grids change rarely (a redraw): the locator is rebuilt then, not per position change
      located = l = new Located(grids, GridLocator.build(index));
    }
    return l.locator();
  }

  /** Turns a report into an added feature of the events layer; runs on the writer thread. */
  private final class ReportPlan implements Writer.Plan {
    private final Principal who;
    private final Report r;
    private volatile Placement placement;

    ReportPlan(Principal who, Report r) {
      this.who = who;
      this.r = r;
    }

    @Override
    public Change plan(CityIndex current) {
      if (r.requestKey() != null) {
        loadKeys();
        Long id = requestKeys.get(r.requestKey());
        if (id != null) {
          throw new AlreadyReported(id);
        }
      }
      Writer.Latest latest = writer.get().latest();
      double lon = r.lon();
      double lat = r.lat();
      Feature site = null;
      if (r.siteId() != null) {
        site = latest.feature(current, Catalogue.KEY_SITES.name(), r.siteId());
        if (site == null) {
          throw new ApiException(
              422,
              "Unprocessable Content",
              "properties.site_id="
                  + r.siteId()
                  + " is not a key site; expected the id of a feature of /collections/key_sites");
        }
        if (Double.isNaN(lon)) {
          Coordinate c = site.geometry().getCoordinate();
          lon = c.x;
          lat = c.y;
        }
      }
      GridLocation at = locator(current).locate(lon, lat);
      if (at == null) {
        throw new ApiException(
            422,
            "Unprocessable Content",
            "geometry ["
                + lon
                + ", "
                + lat
                + "] lies in no grid of the city; an incident is routed to the grid that contains"
                + " it (check the coordinates' order, lon first, and their datum: send"
                + " Content-Crs for GCJ-02 or BD-09)");
      }
      String gridCode = at.grid().string(Catalogue.GRIDS.requireField("code"));
      if (!who.covers(gridCode)) {
        throw new ApiException(
            403,
            "Forbidden",
            "the incident lies in grid "
                + gridCode
                + ", outside the scope "
                + who.scope()
                + " of "
                + who.subject()
                + "; nothing was written");
      }
      Object workerId = at.grid().value(Catalogue.GRIDS.requireField("worker_id"));
      Feature assignee =
          workerId instanceof Long w ? latest.feature(current, Catalogue.FORCES.name(), w) : null;
      long now = clock.getAsLong();
      List<NearestPoints.Neighbour> sent =
          r.urgent() ? nearest(current, lon, lat, r.category()) : List.of();
      Long duplicateOf = duplicateOf(current, latest, lon, lat, r.category(), r.time());

      if (nextId < 0) {
        nextId = Math.max(FIRST_ID, current.layer(DEF.name()).maxId() + 1);
      }
      long id = nextId++;
      boolean personal =
          (site != null && site.personal()) || PERSONAL_CATEGORIES.contains(r.category());
      Object[] v = new Object[DEF.fields().size()];
      EventCategory category = EventCategory.ofCode(r.category()).orElseThrow();
      set(v, "category", category.code());
      set(v, "board", category.board().code());
      set(v, "urgency", r.urgent() ? "urgent" : "normal");
      set(v, "status", IncidentState.REPORTED.code());
      set(v, "reported_at", r.time());
      set(v, "grid_code", gridCode);
      set(
          v,
          "description",
          r.description() == null || r.description().isEmpty() ? null : r.description());
      set(v, "reporter", r.reporter() == null || r.reporter().isEmpty() ? null : r.reporter());
      set(v, "source", r.source());
      set(v, "photos", r.photos().isEmpty() ? null : String.join(" ", r.photos()));
      set(v, "assignee_id", assignee == null ? null : assignee.id());
      set(v, "pinned", false);
      set(v, "due_at", deadlines.dueAt(IncidentState.REPORTED, r.urgent(), now));
      set(v, "overdue", false);
      set(v, "duplicate_of", duplicateOf);
      set(v, "site_id", site == null ? null : site.id());
      set(v, "device_id", r.deviceId());
      set(v, "updated_at", now);
      set(v, "revision", 1L);
      set(v, "responders", sent.isEmpty() ? null : responderText(sent));
      set(v, "request_key", r.requestKey());
      Point p = POINTS.createPoint(new org.locationtech.jts.geom.CoordinateXY(lon, lat));
      POINTS.getPrecisionModel().makePrecise(p.getCoordinate());
      Feature incident = new Feature(id, p, v, personal);

      if (r.requestKey() != null) {
        requestKeys.put(r.requestKey(), id);
      }
      recent.addLast(new Recent(id, r.category(), lon, lat, r.time()));
      while (!recent.isEmpty() && recent.peekFirst().time() < now - 2 * DUPLICATE_MILLIS) {
        recent.removeFirst();
      }
      placement =
          new Placement(
              at.grid(), at.village(), at.street(), at.district(), assignee, sent, duplicateOf);
      return Change.of(DEF.name(), List.of(Change.Replacement.added(incident)));
    }
  }

  private static void set(Object[] v, String field, Object value) {
    v[DEF.requireField(field)] = value;
  }

  private static String responderText(List<NearestPoints.Neighbour> sent) {
    StringBuilder sb = new StringBuilder();
    for (NearestPoints.Neighbour n : sent) {
      sb.append(sb.length() == 0 ? "" : " ")
          .append(n.feature().id())
          .append(':')
          .append(Math.round(n.metres()));
    }
    return sb.toString();
  }

  private List<NearestPoints.Neighbour> nearest(
      CityIndex index, double lon, double lat, String category) {
    LayerIndex forces = index.findLayer(Catalogue.FORCES.name()).orElse(null);
    if (forces == null) {
      return List.of();
    }
    List<String> roles = responders.roles(category);
    int role = forces.def().fieldIndex("role");
    int onDuty = forces.def().fieldIndex("on_duty");
    return NearestPoints.nearest(
        forces,
        lon,
        lat,
        responders.k(),
        f -> Boolean.TRUE.equals(f.value(onDuty)) && roles.contains((String) f.value(role)),
        RESPONDER_METRES,
        true);
  }

  /**
   * The first open report of the same category within {@link #DUPLICATE_METRES} and {@link
   * #DUPLICATE_MILLIS}, in the index or among this group's reports, or null.
   */
  private Long duplicateOf(
      CityIndex index, Writer.Latest latest, double lon, double lat, String category, long time) {
    int cat = DEF.fieldIndex("category");
    int status = DEF.fieldIndex("status");
    int reported = DEF.fieldIndex("reported_at");
    int dup = DEF.fieldIndex("duplicate_of");
    Long best = null;
    long bestTime = Long.MAX_VALUE;
    LayerIndex events = index.layer(DEF.name());
    Envelope around = GroundMeasure.expand(new Envelope(lon, lon, lat, lat), DUPLICATE_METRES);
    for (Feature f : events.query(around)) {
      f =
          latest.feature(
              index, DEF.name(), f.id()); // a transition of this group may have closed it
      if (f == null
          || !category.equals(f.value(cat))
          || f.value(dup) != null
          || IncidentState.ofCode((String) f.value(status))
              .map(IncidentState::terminal)
              .orElse(true)) {
        continue;
      }
      long t = f.longValue(reported);
      Coordinate c = f.geometry().getCoordinate();
      if (Math.abs(t - time) <= DUPLICATE_MILLIS
          && GroundMeasure.metres(lon, lat, c.x, c.y) <= DUPLICATE_METRES
          && t < bestTime) {
        best = f.id();
        bestTime = t;
      }
    }
    for (Recent r : recent) {
      if (r.category().equals(category)
          && Math.abs(r.time() - time) <= DUPLICATE_MILLIS
          && GroundMeasure.metres(lon, lat, r.lon(), r.lat()) <= DUPLICATE_METRES
          && r.time() < bestTime
          && latest.feature(index, DEF.name(), r.id()) != null) {
        Feature f = latest.feature(index, DEF.name(), r.id());
        if (f.value(dup) == null) {
          best = r.id();
          bestTime = r.time();
        }
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ transitions

  /**
   * A request to move an incident.
   *
   * @param action what to do
   * @param note why (required to reject)
   * @param department where to escalate (required to escalate)
   * @param assigneeId a force to dispatch to instead of the grid's worker, or null
   * @param ifMatch the ETag the caller last saw, or null
   */
  public record Transition(
      Action action, String note, Department department, Long assigneeId, String ifMatch) {}

  /** Moves an incident; completes with its new version once readers see it. */
  public CompletableFuture<Writer.Written> transition(Principal who, long id, Transition t) {
    return writer
        .get()
        .submit(
            new Writer.Write(
                who,
                "incident." + t.action().code(),
                DEF.name() + "/" + id,
                new TransitionPlan(who, id, t)));
  }

  /** The strong ETag of an incident's current version: {@code "<id>-<revision>"}. */
  public static String etag(Feature incident) {
    return io.gridmap.server.web.EntityTags.of(DEF, incident);
  }

  private final class TransitionPlan implements Writer.Plan {
    private final Principal who;
    private final long id;
    private final Transition t;

    TransitionPlan(Principal who, long id, Transition t) {
      this.who = who;
      this.id = id;
      this.t = t;
    }

    @Override
    public Change plan(CityIndex current) {
      Feature f = writer.get().latest().feature(current, DEF.name(), id);
      if (f == null
          || (f.personal()
              && who.role().visibility() != io.gridmap.server.security.Visibility.STAFF)) {
        throw ApiException.notFound("incident " + id + " does not exist in /collections/events");
      }
      if (t.ifMatch() != null && !io.gridmap.server.web.EntityTags.matches(t.ifMatch(), etag(f))) {
        throw new ApiException(
            412,
            "Precondition Failed",
            "header If-Match="
                + t.ifMatch()
                + " is not the incident's current ETag "
                + etag(f)
                + ": someone changed it since you read it (state now "
                + f.value(DEF.fieldIndex("status"))
                + "); read it again and decide; nothing was written");
      }
      String gridCode = (String) f.value(DEF.fieldIndex("grid_code"));
      Object assignee = f.value(DEF.fieldIndex("assignee_id"));
      Department dep =
          f.value(DEF.fieldIndex("department")) instanceof String d
              ? Department.ofCode(d).orElse(null)
              : null;
      IncidentState state =
          IncidentState.ofCode((String) f.value(DEF.fieldIndex("status")))
              .orElse(IncidentState.REPORTED);
      List<Lifecycle.Step> steps = Lifecycle.steps(t.action(), state);
      if (steps.isEmpty()) {
        throw new ApiException(
            409,
            "Conflict",
            "action="
                + t.action().code()
                + " does not apply to an incident that is "
                + state.code()
                + "; from "
                + state.code()
                + " the actions are: "
                + String.join(", ", Lifecycle.actionsFrom(state))
                + "; nothing was written");
      }
      Set<Lifecycle.Who> standing =
          Lifecycle.standing(who, assignee instanceof Long l ? l : null, dep, gridCode);
      Lifecycle.Step step = Lifecycle.allowed(steps, standing);
      if (step == null) {
        throw new ApiException(
            403,
            "Forbidden",
            who.subject()
                + " ("
                + who.role().code()
                + (who.scope().isEmpty() ? "" : ", scope " + who.scope())
                + ") may not "
                + t.action().code()
                + " incident "
                + id
                + " of grid "
                + gridCode
                + ": from "
                + state.code()
                + " that is for "
                + steps.stream()
                    .flatMap(s -> s.who().stream())
                    .distinct()
                    .map(w -> w.name().toLowerCase(java.util.Locale.ROOT))
                    .toList()
                + " (docs/incidents.md); nothing was written");
      }
      long now = clock.getAsLong();
      Object[] v = f.values().clone();
      boolean urgentIncident = "urgent".equals(f.value(DEF.fieldIndex("urgency")));
      switch (t.action()) {
        case PIN -> set(v, "pinned", true);
        case UNPIN -> set(v, "pinned", false);
        case ACKNOWLEDGE -> {
          String acked = (String) v[DEF.fieldIndex("acked_by")];
          List<String> by =
              acked == null ? new ArrayList<>() : new ArrayList<>(List.of(acked.split(" ")));
          if (!by.contains(who.subject())) {
            by.add(who.subject());
          }
          set(v, "acked_by", String.join(" ", by));
        }
        case ESCALATE -> {
          if (t.department() == null) {
            throw ApiException.badRequest(
                "department is missing; expected one of "
                    + java.util.Arrays.stream(Department.values()).map(Department::code).toList()
                    + " to escalate to");
          }
          set(v, "department", t.department().code());
        }
        case REJECT -> {
          if (t.note() == null || t.note().isBlank()) {
            throw ApiException.badRequest(
                "note is missing; a rejection says why (a duplicate of which report, a prank, outside our remit)");
          }
        }
        case DISPATCH -> {
          if (t.assigneeId() != null) {
            Feature force =
                writer.get().latest().feature(current, Catalogue.FORCES.name(), t.assigneeId());
            if (force == null) {
              throw ApiException.badRequest(
                  "assignee_id="
                      + t.assigneeId()
                      + " is not a force; expected the id of a feature of /collections/forces");
            }
            set(v, "assignee_id", force.id());
          }
        }
        case RETURN -> {
          if (state == IncidentState.ESCALATED) {
            set(v, "department", null);
          }
        }
        default -> {}
      }
      if (step.to() != null) {
        set(v, "status", step.to().code());
        set(v, "due_at", deadlines.dueAt(step.to(), urgentIncident, now));
        set(v, "overdue", false);
        if (step.to().terminal()) {
          set(v, "closed_at", now);
          set(v, "pinned", false);
        }
      }
      set(v, "updated_at", now);
      set(v, "revision", f.longValue(DEF.fieldIndex("revision")) + 1);
      set(v, "note", t.note() == null || t.note().isBlank() ? null : t.note());
      Feature next = new Feature(f.id(), f.geometry(), v, f.personal());
      return Change.of(DEF.name(), List.of(new Change.Replacement(f, next)));
    }
  }

  // ------------------------------------------------------------------ overdue

  /**
   * Marks every open incident whose next step is past due: overdue, pinned for its street's command
   * centre, and a note saying which step was due when. One write through the writer; nothing when
   * none is due. Reads every incident: the sweep names its candidates instead (below).
   */
  public CompletableFuture<Writer.Written> markOverdue(Principal system) {
    return markOverdue(system, current -> ids(current.layer(DEF.name()).features()));
  }

  /**
   * Marks those of {@code candidates} whose next step is past due (the sweep's {@link DueSteps}
   * names them, so the plan reads a few incidents, not the layer); each is checked again against
   * its newest version. Called by {@link OverdueSweep} off the event loop.
   */
  public CompletableFuture<Writer.Written> markOverdue(Principal system, List<Long> candidates) {
    return markOverdue(system, current -> candidates);
  }

  private CompletableFuture<Writer.Written> markOverdue(
      Principal system, java.util.function.Function<CityIndex, List<Long>> candidates) {
    return writer
        .get()
        .submit(
            new Writer.Write(
                system,
                "incident.overdue",
                DEF.name(),
                current -> overduePlan(current, candidates.apply(current))));
  }

  private static List<Long> ids(List<Feature> features) {
    List<Long> out = new ArrayList<>(features.size());
    for (Feature f : features) {
      out.add(f.id());
    }
    return out;
  }

  private Change overduePlan(CityIndex current, List<Long> candidates) {
    long now = clock.getAsLong();
    int status = DEF.fieldIndex("status");
    int due = DEF.fieldIndex("due_at");
    int overdue = DEF.fieldIndex("overdue");
    int urgency = DEF.fieldIndex("urgency");
    int grid = DEF.fieldIndex("grid_code");
    Writer.Latest latest = writer.get().latest();
    List<Change.Replacement> out = new ArrayList<>();
    for (long id : candidates) {
      Feature f = latest.feature(current, DEF.name(), id);
      IncidentState s =
          f == null ? null : IncidentState.ofCode((String) f.value(status)).orElse(null);
      if (s == null
          || s.terminal()
          || !(f.value(due) instanceof Long d2)
          || d2 > now
          || Boolean.TRUE.equals(f.value(overdue))) {
        continue;
      }
      Object[] v = f.values().clone();
      String street =
          ((String) f.value(grid)).substring(0, Math.min(9, ((String) f.value(grid)).length()));
      v[overdue] = true;
      v[DEF.fieldIndex("pinned")] = true;
      v[DEF.fieldIndex("updated_at")] = now;
      v[DEF.fieldIndex("revision")] = f.longValue(DEF.fieldIndex("revision")) + 1;
      v[DEF.fieldIndex("note")] =
          "overdue: "
              + s.code()
              + " for more than "
              + deadlines.limit(s, "urgent".equals(f.value(urgency)))
              + " (due "
              + Instant.ofEpochMilli(d2)
              + "); escalated to the command centre of street "
              + street;
      out.add(new Change.Replacement(f, new Feature(f.id(), f.geometry(), v, f.personal())));
    }
    return Change.of(DEF.name(), out);
  }

  /** Who the server itself is when it writes (the overdue sweep). */
  public static final Principal SYSTEM = new Principal("system", Role.ADMIN, "", "internal");
}
