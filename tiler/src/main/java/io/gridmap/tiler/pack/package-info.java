/**
 * Offline tile packages: the tileset of an area and a zoom range written to one file, PMTiles v3
 * ({@link io.gridmap.tiler.pack.PmtilesWriter}) or MBTiles 1.3 ({@link
 * io.gridmap.tiler.pack.MbtilesWriter}), by {@link io.gridmap.tiler.pack.TileExport}, which renders
 * tiles in parallel and hands them to the writer in Hilbert TileID order.
 */
package io.gridmap.tiler.pack;
