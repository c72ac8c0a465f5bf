// Package match evaluates every enterprise against every policy in force,
// in batch and incrementally, stores the results with their explanations and
// what changed, answers queries on them, and simulates draft policies.
//
// The evaluation itself is package vector's: policies compiled into one
// program of vector operations, run over columnar chunks of the population.
// This package reads the chunks from the database (load.go), runs batches
// as durable jobs (run.go), re-evaluates one enterprise after its facts
// change (incremental.go) and stores what changed (results.go).
package match
