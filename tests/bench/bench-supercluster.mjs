// bench-supercluster.mjs — the same job as bench-cluster.c, done by the
// `supercluster` npm package, for the speed-up figure.
//
// node bench-supercluster.mjs NPM_PREFIX POINTS_FILE RUNS WEST SOUTH EAST NORTH ZOOM...
//
// POINTS_FILE holds little-endian float64 pairs (lon, lat), written by
// bench-cluster. Building the GeoJSON features is setup and not timed;
// each run times `new Supercluster(...).load(features)` and one
// getClusters() of the town's box per zoom. Prints one JSON line.
//
// Copyright 2026 The Civic Desk authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const [prefix, pointsFile, runsArg, west, south, east, north, ...zoomArgs] = process.argv.slice(2);
const { default: Supercluster } = await import(
  pathToFileURL(join(prefix, 'node_modules', 'supercluster', 'index.js')).href);
const { version } = JSON.parse(readFileSync(join(prefix, 'node_modules', 'supercluster', 'package.json')));

const buffer = readFileSync(pointsFile);
const coords = new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8);
const features = [];
for (let i = 0; i < coords.length / 2; i++) {
  features.push({
    type: 'Feature',
    properties: { id: i + 1 },
    geometry: { type: 'Point', coordinates: [coords[2 * i], coords[2 * i + 1]] },
  });
}

const bbox = [Number(west), Number(south), Number(east), Number(north)];
const zooms = zoomArgs.map(Number);
// Same depth as the desk's index: clusters for every zoom 0 to 19.
const options = { minZoom: 0, maxZoom: 19, radius: 40, extent: 512 };
const runs = [];

for (let r = 0; r < Number(runsArg); r++) {
  const t0 = performance.now();
  const index = new Supercluster(options).load(features);
  const t1 = performance.now();
  const counts = zooms.map((z) => index.getClusters(bbox, z).length);
  const t2 = performance.now();
  runs.push({ load_ms: t1 - t0, query_ms: t2 - t1, total_ms: t2 - t0, clusters: counts });
}

console.log(JSON.stringify({ version, points: features.length, options, runs }));
