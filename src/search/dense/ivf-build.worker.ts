/**
 * Worker thread body: builds the IVF vector index over the rows it is given, calibrates its
 * probes to the target recall against exact search, and saves it to the file it was told;
 * the caller loads it from there (building takes seconds to minutes at a million papers).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VectorIndex } from './vector-index.js';

const { rows, dimensions, file, targetRecall } = workerData as { rows: Float32Array; dimensions: number; file: string; targetRecall: number };
const index = VectorIndex.build(rows, dimensions);
const calibration = index.calibrate(targetRecall, 10);
index.save(file);
parentPort!.postMessage(calibration);
