#!/bin/sh
# Regenerates the GDAL-made .prj fixtures here (GDAL 3.6.2 made the committed ones):
#   sh generate.sh
# esri-EPSG.prj: ESRI WKT1 on one line, as ArcGIS writes a .prj (gdalsrsinfo -o wkt_esri)
# ogc-EPSG.prj:  OGC WKT1 over several lines, as GDAL wrote .prj files before 3.0 (-o wkt1)
# The hand-made fixtures (hand-*.prj) are described in README.md.
set -e
cd "$(dirname "$0")"
for code in 4326 4490 3857 4491 4497 4501 4502 4507 4512 4513 4526 4527 4533 4534 4544 4545 4546 4548 4554; do
  gdalsrsinfo --single-line -o wkt_esri EPSG:$code | sed '/^$/d' > esri-$code.prj
done
for code in 4326 4490 3857 4497 4507 4526 4545 4548; do
  gdalsrsinfo -o wkt1 EPSG:$code | sed '/^$/d' > ogc-$code.prj
done
# with a vertical CS (Yellow Sea 1985 heights): ESRI appends VERTCS[…], OGC wraps in COMPD_CS
gdalsrsinfo --single-line -o wkt_esri EPSG:4545+5737 | sed '/^$/d' > esri-4545+5737.prj
gdalsrsinfo -o wkt1 EPSG:4545+5737 | sed '/^$/d' > ogc-4545+5737.prj
# not ours: datums without public parameters to WGS 84, a UTM zone, World Mercator
gdalsrsinfo --single-line -o wkt_esri EPSG:2383 | sed '/^$/d' > esri-2383-xian1980.prj
gdalsrsinfo --single-line -o wkt_esri EPSG:2433 | sed '/^$/d' > esri-2433-beijing1954.prj
gdalsrsinfo --single-line -o wkt_esri EPSG:4214 | sed '/^$/d' > esri-4214-beijing1954.prj
gdalsrsinfo --single-line -o wkt_esri EPSG:32648 | sed '/^$/d' > esri-32648-utm48n.prj
gdalsrsinfo -o wkt1 EPSG:3395 | sed '/^$/d' > ogc-3395-world-mercator.prj
