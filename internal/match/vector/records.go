package vector

import "github.com/parkdesk/parkdesk/internal/facts"

// RecordsChunk builds a chunk from enterprise records (row ids are their
// indexes), for records that are not in a database: a file to evaluate,
// tests.
func (p *Program) RecordsChunk(recs []facts.Record) *Chunk {
	b := p.NewBuilder(len(recs))
	for i := range recs {
		r := &recs[i]
		b.Row(int64(i), r.USCC, r.IndustryCode, r.RegisteredOn)
		for name, series := range r.Facts {
			for per, v := range series {
				b.Value(name, per, &v)
			}
		}
	}
	return b.Finish()
}

// Records gives back the records a chunk was built from.
type Records []facts.Record

// Record returns the row's record.
func (rs Records) Record(c *Chunk, row int) (*facts.Record, error) {
	return &rs[c.ID[row]], nil
}
