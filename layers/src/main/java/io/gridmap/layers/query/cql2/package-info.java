/**
 * CQL2, the filter language of OGC API - Features Part 3: parse, bind, evaluate, translate.
 *
 * <h2>Pipeline</h2>
 *
 * <pre>
 * cql2-text --Cql2TextParser--+                      +--> FeaturePredicateCompiler --> Predicate&lt;Feature&gt;
 *                             +--> Filter --Cql2Binder(Queryables)--> BoundFilter
 * cql2-json --Cql2JsonParser--+   (AST)                   |           +--> PostgisSqlTranslator --> SqlFragment
 *                                  ^                      +--> indexEnvelope() for a spatial index
 *             Cql2TextWriter / Cql2JsonWriter write it back
 * </pre>
 *
 * {@link io.gridmap.layers.query.cql2.Cql2} is the entry point.
 *
 * <h2>What is supported</h2>
 *
 * <ul>
 *   <li>Logic: AND, OR, NOT with precedence NOT &gt; AND &gt; OR, parentheses, TRUE/FALSE.
 *   <li>Comparison: = &lt;&gt; &lt; &lt;= &gt; &gt;=, [NOT] LIKE (% _ and \ as escape), [NOT]
 *       BETWEEN, [NOT] IN (list), IS [NOT] NULL, CASEI(...) for case-insensitive strings.
 *   <li>Spatial: S_INTERSECTS, S_EQUALS, S_DISJOINT, S_TOUCHES, S_WITHIN, S_OVERLAPS, S_CROSSES,
 *       S_CONTAINS, and S_DWITHIN(a, b, distance[, unit]) with units meters (default), kilometers,
 *       feet, miles. Literals: WKT POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING,
 *       MULTIPOLYGON (optional Z), BBOX(w, s, e, n[, ...]) and GeoJSON.
 *   <li>Temporal: TIMESTAMP('...'), DATE('...'), INTERVAL(a, b) with '..' for an open end and
 *       properties as ends; all fifteen T_ operators; plain comparisons and BETWEEN on timestamps.
 * </ul>
 *
 * Not supported (refused with the list of what is): arithmetic, array predicates (A_*), ACCENTI,
 * GEOMETRYCOLLECTION literals, custom functions, and CRS other than WGS84 lon/lat (CRS84).
 *
 * <h2>Semantics shared by the evaluator and SQL</h2>
 *
 * <ul>
 *   <li>SQL three-valued logic: null makes a comparison UNKNOWN; a feature matches only when the
 *       whole filter is TRUE; NOT UNKNOWN stays UNKNOWN.
 *   <li>Strings order by code point (SQL emits {@code COLLATE "C"} for ordering comparisons).
 *   <li>A DATE compared as an instant is its first millisecond (UTC); in T_ operators it is the
 *       whole day. Interval ends are inclusive.
 *   <li>S_DWITHIN is in metres on the WGS84 ellipsoid (see {@code LocalMetricProjection}); SQL uses
 *       {@code ST_DWithin} on geography after an indexable envelope test.
 * </ul>
 *
 * <h2>Security</h2>
 *
 * Property names are strings until {@link io.gridmap.layers.query.cql2.Queryables} looks them up in
 * a map built from the layer's fields (callers leave out personal fields); they are never resolved
 * by reflection or evaluated. Functions come from a fixed list. SQL is built from constants and the
 * quoted columns of bound queryables; every literal is a parameter. Inputs are bounded by {@link
 * io.gridmap.layers.query.cql2.Cql2Limits}; LIKE matching is linear without regular expressions.
 */
package io.gridmap.layers.query.cql2;
