// Package tech is the park's technology transfer desk (产学研对接): a
// catalogue of technology achievements (科技成果) held by universities and
// institutes, the technology needs (技术需求) of the park's enterprises,
// matching between the two both ways with reasons, and the docking that
// follows — introductions followed to a signed contract, and docking events
// (对接会).
//
// Matching is lexical retrieval tuned for Chinese technical text: texts are
// segmented by github.com/go-ego/gse (pure Go, a jieba-style dictionary
// segmenter) and ranked by BM25F over the achievement's title, keywords,
// field and abstract, with the enterprise's industry and the technical field
// as signals and the shared terms kept as the reason of each recommendation.
// The index lives in memory, built from the terms stored with each row and
// refreshed by the catalogue's revision counter, so that every instance on a
// shared PostgreSQL ranks the same catalogue.
package tech
