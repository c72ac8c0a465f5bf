package bench

import (
	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match/vector"
)

// DemoChunk builds a chunk of enterprises from … to-1 of a generated
// population, straight from the generator's facts (no record maps). Row
// ids are the enterprises' indexes.
func DemoChunk(p *vector.Program, g *demo.Generator, from, to int) *vector.Chunk {
	return DemoChunks(g, from, to, 0, p)[0]
}

// DemoChunks builds one chunk per program from a single generation of
// enterprises from … to-1; row ids are the indexes plus idBase.
func DemoChunks(g *demo.Generator, from, to int, idBase int64, progs ...*vector.Program) []*vector.Chunk {
	bs := make([]*vector.Builder, len(progs))
	for i, p := range progs {
		bs[i] = p.NewBuilder(to - from)
	}
	var fb factBuffer
	add := fb.add
	for i := from; i < to; i++ {
		fb.facts = fb.facts[:0]
		e := g.EnterpriseFacts(i, add)
		for _, b := range bs {
			b.Row(int64(i)+idBase, e.Record.USCC, e.Record.IndustryCode, e.Record.RegisteredOn)
			for k := range fb.facts {
				f := &fb.facts[k]
				b.Value(f.Field, f.Period, &f.Value)
			}
		}
	}
	out := make([]*vector.Chunk, len(bs))
	for i, b := range bs {
		out[i] = b.Finish()
	}
	return out
}

// factBuffer collects an enterprise's facts: the generator draws the
// record's attributes after its facts, and a row starts with them.
type factBuffer struct{ facts []demo.Fact }

func (fb *factBuffer) add(f demo.Fact) { fb.facts = append(fb.facts, f) }

// DemoRecords gives the records of a generated population back, for the
// rows the vector program leaves to the policy engine. Base is subtracted
// from a row's id to get the enterprise's index.
type DemoRecords struct {
	G    *demo.Generator
	Base int64
}

// Record regenerates the enterprise of the row.
func (d DemoRecords) Record(c *vector.Chunk, row int) (*facts.Record, error) {
	e := d.G.Enterprise(int(c.ID[row] - d.Base))
	return &e.Record, nil
}
