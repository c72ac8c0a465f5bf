package demo

import (
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// DefaultEnterprises is the size of the demo population: the number of
// enterprises a Hangzhou enterprise service platform serves.
const DefaultEnterprises = 13000

// Options says which park to generate.
type Options struct {
	// Seed chooses the park; the same seed gives the same park.
	Seed int64
	// Enterprises is the population size, at most MaxEnterprises.
	Enterprises int
	// On is the date the park is seen from: annual facts cover the three
	// calendar years before On's year (the fiscal years policies read), and
	// monthly VAT facts the 24 months ending with the month before On's (the
	// tax month, 税款所属期). Only its date matters.
	On time.Time
}

// Enterprise is one generated enterprise: its record in the data contract's
// format (facts, park, tags) and its liaison, which is contact data, not
// facts of the dictionary.
type Enterprise struct {
	Record  facts.Record
	Liaison Liaison
}

// Generator generates the enterprises of one park. It holds no state that
// grows with the population, and Enterprise may be called from several
// goroutines at once.
type Generator struct {
	opts Options
	on   time.Time
	// lastYear is the last fiscal year; the annual facts cover
	// lastYear-2 .. lastYear.
	lastYear int
	// taxMonth (税款所属期, the month before on's) is the last month of VAT
	// facts; the first is taxMonth-23.
	taxMonth    facts.Period
	parks       []Park
	parkWeights []float64
	nameKey     uint64
	usccKey     uint64
}

// New checks the options and returns their generator. Bad options, which
// come from the command line, give an *apperr.Error with code Invalid.
func New(opts Options) (*Generator, error) {
	if opts.Enterprises < 0 || opts.Enterprises > MaxEnterprises {
		return nil, apperr.Errorf(apperr.Invalid, "a demo park has 0 to %d enterprises, not %d", MaxEnterprises, opts.Enterprises)
	}
	if opts.On.IsZero() {
		return nil, apperr.Errorf(apperr.Invalid, "the date the demo park is seen from is required")
	}
	if y := opts.On.Year(); y < 2000 || y > 2999 {
		return nil, apperr.Errorf(apperr.Invalid, "a demo park is seen from a date in 2000–2999, not %s", opts.On.Format(time.DateOnly))
	}
	on := time.Date(opts.On.Year(), opts.On.Month(), opts.On.Day(), 0, 0, 0, 0, time.UTC)
	g := &Generator{
		opts:     opts,
		on:       on,
		lastYear: on.Year() - 1,
		taxMonth: facts.Month(on.Year(), int(on.Month())).AddMonths(-1),
		parks:    Parks(),
		nameKey:  mix64(uint64(opts.Seed) ^ 0x6e616d65), // "name"
		usccKey:  mix64(uint64(opts.Seed) ^ 0x75736363), // "uscc"
	}
	for _, p := range g.parks {
		g.parkWeights = append(g.parkWeights, p.Share)
	}
	return g, nil
}

// Len returns the number of enterprises of the park.
func (g *Generator) Len() int { return g.opts.Enterprises }

// Each calls each for every enterprise in index order, stopping at the first
// error, which it returns. Memory stays bounded: an enterprise is dropped
// once each returns unless each keeps it.
func (g *Generator) Each(each func(Enterprise) error) error {
	for i := range g.opts.Enterprises {
		if err := each(g.Enterprise(i)); err != nil {
			return err
		}
	}
	return nil
}

// Each generates the park of opts and calls each for every enterprise.
func Each(opts Options, each func(Enterprise) error) error {
	g, err := New(opts)
	if err != nil {
		return err
	}
	return g.Each(each)
}

// Enterprise returns enterprise i (0 ≤ i < Len()). It depends only on the
// options and i, so a population can be generated in slices on several
// goroutines and still be the same.
func (g *Generator) Enterprise(i int) Enterprise {
	fs := make(factSet, 64)
	e := g.generate(i, fs)
	e.Record.Facts = fs
	return e
}

// Fact is one generated value of an enterprise.
type Fact struct {
	Field  string
	Period facts.Period
	Value  facts.Value
}

// EnterpriseFacts generates enterprise i like Enterprise, but passes its
// facts to each, one by one, instead of building the record's maps, which
// cost most of the generation time; Record.Facts of the result is nil. It is
// for benchmarks and stores that lay facts out in their own way.
func (g *Generator) EnterpriseFacts(i int, each func(Fact)) Enterprise {
	return g.generate(i, factFunc(each))
}

func (g *Generator) generate(i int, out sink) Enterprise {
	if i < 0 || i >= g.opts.Enterprises {
		panic(fmt.Sprintf("demo: enterprise %d of %d", i, g.opts.Enterprises))
	}
	index := uint64(i)
	s := newStream(g.opts.Seed, index, streamFirm)
	f := g.newFirm(s)
	park := &g.parks[s.weighted(g.parkWeights)]
	word := f.sector.words[s.intn(len(f.sector.words))]
	w := writer{out}
	g.annualFacts(f, w)
	g.quarterlyFacts(f, w)
	g.vatFacts(f, w, newStream(g.opts.Seed, index, streamVAT))
	g.industryShares(f, w, newStream(g.opts.Seed, index, streamShare))
	g.timelessFacts(f, w)
	return Enterprise{
		Record: facts.Record{
			USCC:         enterprise.MakeUSCC(park.DivisionCode, permute(index, usccSerials, g.usccKey)),
			Name:         companyName(index, g.nameKey, word, f.incorporated()),
			RegisteredOn: f.registered.Format(time.DateOnly),
			IndustryCode: f.industryCode,
			Park:         park.Code,
			Tags:         f.tags(),
		},
		Liaison: liaison(newStream(g.opts.Seed, index, streamLiaison), index),
	}
}

// usccSerials is the number of organisation-code serials enterprise.MakeUSCC
// encodes without repeating (31^6).
const usccSerials = 31 * 31 * 31 * 31 * 31 * 31

// The independent random streams of an enterprise: each aspect draws from
// its own, so that changing how one is drawn leaves the others as they were.
const (
	streamFirm = iota
	streamVAT
	streamLiaison
	streamShare
)
