package tech

import (
	"container/heap"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// schema is the fields of the documents of an index, with their BM25F
// weights and length normalisation.
type schema struct {
	names   []string
	weights []float64
	b       []float64
}

// The schemas. An achievement's title and keywords say what it is; its
// abstract says much else besides, so it weighs less and is normalised by
// its length.
var (
	achievementSchema = schema{
		names:   []string{"title", "keywords", "field", "abstract"},
		weights: []float64{3, 2.5, 1, 1},
		b:       []float64{0.3, 0.2, 0, 0.75},
	}
	needSchema = schema{
		names:   []string{"title", "description"},
		weights: []float64{2.5, 1},
		b:       []float64{0.3, 0.75},
	}
)

// k1 is BM25's term-frequency saturation.
const k1 = 1.2

// Doc is a document to index: its key (an achievement's or a need's code),
// the analysed terms of each field of the schema, and the signals.
type Doc struct {
	Key      string
	Terms    [][]string
	Field    Field
	Industry string // GB/T 4754 code of a need's enterprise
}

// posting is a document that holds a term, with the term's BM25F pseudo
// frequency there: the field-weighted, length-normalised count.
type posting struct {
	doc uint32
	tf  float32
}

// Index is an in-memory BM25F index. Ranking is safe from many goroutines;
// Add and Remove take the write lock.
type Index struct {
	mu     sync.RWMutex
	an     *analyzer
	schema schema

	keys []string
	slot map[string]uint32
	// Each document's field and industry, as indexes into the distinct
	// values, so that a query decides each fit once per value, not once
	// per document.
	field    []uint16
	industry []uint16
	values   []string
	valueID  map[string]uint16
	live     []bool
	docTerms [][]uint32 // each document's distinct term ids, for Remove
	lens     [][]float32
	sumLen   []float64
	nLive    int

	termID   map[string]uint32
	terms    []string
	postings [][]posting
	df       []int32
	spec     []float32
}

func newIndex(an *analyzer, s schema) *Index {
	return &Index{an: an, schema: s, slot: map[string]uint32{}, termID: map[string]uint32{}, sumLen: make([]float64, len(s.names)),
		valueID: map[string]uint16{}}
}

// Len is the number of documents.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.nLive
}

// build indexes docs at once, with the field lengths' averages known before
// the first posting is weighted.
func (ix *Index) build(docs []Doc) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, d := range docs {
		for f := range ix.schema.names {
			if f < len(d.Terms) {
				ix.sumLen[f] += float64(len(d.Terms[f]))
			}
		}
	}
	ix.nLive = len(docs)
	for _, d := range docs {
		ix.add(d, false)
	}
	ix.nLive = 0
	for _, l := range ix.live {
		if l {
			ix.nLive++
		}
	}
}

// Add indexes d, replacing the document of the same key.
func (ix *Index) Add(d Doc) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(d.Key)
	ix.add(d, true)
}

// Remove takes the document of key out of the index.
func (ix *Index) Remove(key string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
}

func (ix *Index) remove(key string) {
	s, ok := ix.slot[key]
	if !ok {
		return
	}
	delete(ix.slot, key)
	ix.live[s] = false
	ix.nLive--
	for _, t := range ix.docTerms[s] {
		ix.df[t]--
	}
	for f, l := range ix.lens[s] {
		ix.sumLen[f] -= float64(l)
	}
	ix.docTerms[s] = nil
}

// add appends d; counted is false during build, whose lengths are summed.
func (ix *Index) add(d Doc, counted bool) {
	if old, ok := ix.slot[d.Key]; ok && ix.live[old] {
		ix.remove(d.Key)
	}
	s := uint32(len(ix.keys))
	ix.keys = append(ix.keys, d.Key)
	ix.slot[d.Key] = s
	ix.field = append(ix.field, ix.value(string(d.Field)))
	ix.industry = append(ix.industry, ix.value(d.Industry))
	ix.live = append(ix.live, true)
	nf := len(ix.schema.names)
	lens := make([]float32, nf)
	for f := 0; f < nf && f < len(d.Terms); f++ {
		lens[f] = float32(len(d.Terms[f]))
	}
	ix.lens = append(ix.lens, lens)
	if counted {
		ix.nLive++
		for f, l := range lens {
			ix.sumLen[f] += float64(l)
		}
	}
	// The pseudo frequency of each term: Σ over fields of weight × count
	// normalised by the field's length against its average (BM25F).
	tf := map[uint32]float64{}
	for f := 0; f < nf && f < len(d.Terms); f++ {
		avg := ix.sumLen[f] / math.Max(1, float64(ix.nLive))
		if avg <= 0 {
			avg = 1
		}
		norm := 1 - ix.schema.b[f] + ix.schema.b[f]*float64(lens[f])/avg
		for _, term := range d.Terms[f] {
			tf[ix.id(term)] += ix.schema.weights[f] / norm
		}
	}
	ids := make([]uint32, 0, len(tf))
	for t, v := range tf {
		ix.postings[t] = append(ix.postings[t], posting{doc: s, tf: float32(v)})
		ix.df[t]++
		ids = append(ids, t)
	}
	ix.docTerms = append(ix.docTerms, ids)
}

// value numbers a field or industry code; the 65,536th distinct one and
// after share the last number, and lose their fit (there are 1,381 classes).
func (ix *Index) value(v string) uint16 {
	if id, ok := ix.valueID[v]; ok {
		return id
	}
	if len(ix.values) == math.MaxUint16 {
		return math.MaxUint16 - 1
	}
	id := uint16(len(ix.values))
	ix.values = append(ix.values, v)
	ix.valueID[v] = id
	return id
}

func (ix *Index) id(term string) uint32 {
	if t, ok := ix.termID[term]; ok {
		return t
	}
	t := uint32(len(ix.terms))
	ix.termID[term] = t
	ix.terms = append(ix.terms, term)
	ix.postings = append(ix.postings, nil)
	ix.df = append(ix.df, 0)
	ix.spec = append(ix.spec, float32(ix.an.specificity(term)))
	return t
}

// Query is what to rank the documents for: the analysed terms with their
// weights, and the signals.
type Query struct {
	Terms    map[string]float64
	Field    Field
	Industry string
}

// queryTerm is a query term found in the index, with its weight.
type queryTerm struct {
	id     uint32
	weight float64 // query weight × IDF × specificity
}

// Hit is a ranked document with the reasons it ranks.
type Hit struct {
	Key   string
	Score float64
	// Terms are the shared terms that count most, most first; a term whose
	// longer form is listed is left out (材料 under 复合材料).
	Terms []string
	// IndustryFit: the achievement's field is one that enterprises of the
	// need's industry take up. FieldFit: the need names the same field.
	IndustryFit bool
	FieldFit    bool
}

// Signal boosts. They order achievements that the text ranks alike; they
// are too small to lift an achievement past one that fits the text plainly
// better.
const (
	industryBoost = 0.15
	fieldBoost    = 0.10
)

// Rank returns the top n documents for q, best first. Documents that share
// no term with q are not returned.
func (ix *Index) Rank(q Query, n int) []Hit {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if n <= 0 || ix.nLive == 0 {
		return nil
	}
	qts, total := ix.resolve(q)
	if len(qts) == 0 {
		return nil
	}
	acc := ix.accumulators()
	defer ix.release(acc)
	score, matched := acc.score, acc.matched
	// Rare terms first: they make the candidates. A term in more than a
	// quarter of a large catalogue says too little to make a document a
	// candidate on its own; it only adds to the candidates the rarer terms
	// made, looked up one by one when they are few.
	sort.Slice(qts, func(i, j int) bool { return ix.df[qts[i].id] < ix.df[qts[j].id] })
	common := int32(math.MaxInt32)
	if ix.nLive >= 1000 {
		common = int32(ix.nLive / 4)
	}
	touched := acc.touched[:0]
	add := func(d uint32, w, tf float32) {
		if matched[d] == 0 {
			touched = append(touched, d)
		}
		score[d] += w * tf * (k1 + 1) / (tf + k1)
		matched[d] += w
	}
	for _, qt := range qts {
		w := float32(qt.weight)
		ps := ix.postings[qt.id]
		if ix.df[qt.id] > common && len(touched) > 0 {
			if len(touched)*20 < len(ps) {
				for _, d := range touched {
					i := sort.Search(len(ps), func(i int) bool { return ps[i].doc >= d })
					if i < len(ps) && ps[i].doc == d {
						add(d, w, ps[i].tf)
					}
				}
				continue
			}
			for _, p := range ps {
				if matched[p.doc] != 0 {
					add(p.doc, w, p.tf)
				}
			}
			continue
		}
		for _, p := range ps {
			if ix.live[p.doc] {
				add(p.doc, w, p.tf)
			}
		}
	}
	acc.touched = touched
	h := &hitHeap{}
	fit := &fits{ix: ix, q: q, industry: map[[2]uint16]bool{}}
	for _, d := range touched {
		s := fit.final(d, float64(score[d]), float64(matched[d])/total)
		if h.Len() < n {
			heap.Push(h, scored{d, s})
		} else if s > (*h)[0].score || s == (*h)[0].score && d < (*h)[0].doc {
			(*h)[0] = scored{d, s}
			heap.Fix(h, 0)
		}
	}
	out := make([]Hit, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		sc := heap.Pop(h).(scored)
		out[i] = ix.explain(sc, qts, fit)
	}
	return out
}

// accumulators are a query's per-document sums, reused across queries: a
// catalogue of 100,000 would otherwise allocate and clear 800 KB a query.
type accumulators struct {
	score, matched []float32
	touched        []uint32
}

var accPool sync.Pool

func (ix *Index) accumulators() *accumulators {
	acc, _ := accPool.Get().(*accumulators)
	if acc == nil {
		acc = &accumulators{}
	}
	if n := len(ix.keys); len(acc.score) < n {
		acc.score = make([]float32, n+n/8)
		acc.matched = make([]float32, n+n/8)
	}
	return acc
}

// release clears what the query touched and returns the sums to the pool.
func (ix *Index) release(acc *accumulators) {
	for _, d := range acc.touched {
		acc.score[d], acc.matched[d] = 0, 0
	}
	acc.touched = acc.touched[:0]
	accPool.Put(acc)
}

// resolve looks q's terms up, weighs them by IDF and specificity, and
// returns them with the sum of their weights (for the coordination).
func (ix *Index) resolve(q Query) ([]queryTerm, float64) {
	n := float64(ix.nLive)
	var qts []queryTerm
	total := 0.0
	for term, w := range q.Terms {
		t, ok := ix.termID[term]
		if !ok {
			// A term no document has still counts in the coordination: a
			// document that covers half the need is not a full match.
			total += w * math.Log(1+n)
			continue
		}
		df := float64(ix.df[t])
		if df <= 0 {
			total += w * math.Log(1+n)
			continue
		}
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		weight := w * idf * float64(ix.spec[t])
		qts = append(qts, queryTerm{id: t, weight: weight})
		total += weight
	}
	// Deterministic order: the sums in float32 do not depend on map order.
	sort.Slice(qts, func(i, j int) bool { return qts[i].id < qts[j].id })
	return qts, math.Max(total, 1e-9)
}

// fits is a query's decisions of the industry and field fit, per value.
type fits struct {
	ix       *Index
	q        Query
	industry map[[2]uint16]bool
}

func (f *fits) industryFit(d uint32) bool {
	key := [2]uint16{f.ix.field[d], f.ix.industry[d]}
	fit, ok := f.industry[key]
	if !ok {
		fit = Field(f.ix.values[key[0]]).fitsIndustry(f.q.Industry) || f.q.Field.fitsIndustry(f.ix.values[key[1]])
		f.industry[key] = fit
	}
	return fit
}

func (f *fits) fieldFit(d uint32) bool {
	return f.q.Field != "" && string(f.q.Field) == f.ix.values[f.ix.field[d]]
}

// final is a document's score from its text score: a mild coordination
// factor (the share of the need's weight the document covers), then the
// industry and field signals.
func (f *fits) final(d uint32, text, coord float64) float64 {
	s := text * (0.7 + 0.3*math.Min(1, coord))
	if f.industryFit(d) {
		s *= 1 + industryBoost
	}
	if f.fieldFit(d) {
		s *= 1 + fieldBoost
	}
	return s
}

// explain fills a hit's reasons: the shared terms by their contribution.
func (ix *Index) explain(sc scored, qts []queryTerm, fit *fits) Hit {
	type contribution struct {
		term string
		v    float64
	}
	var cs []contribution
	for _, qt := range qts {
		ps := ix.postings[qt.id]
		i := sort.Search(len(ps), func(i int) bool { return ps[i].doc >= sc.doc })
		if i < len(ps) && ps[i].doc == sc.doc {
			tf := float64(ps[i].tf)
			cs = append(cs, contribution{ix.terms[qt.id], qt.weight * tf * (k1 + 1) / (tf + k1)})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].v != cs[j].v {
			return cs[i].v > cs[j].v
		}
		return cs[i].term < cs[j].term
	})
	var shown []string
	for _, c := range cs {
		shown = addShown(shown, c.term)
		if len(shown) == 6 {
			break
		}
	}
	return Hit{Key: ix.keys[sc.doc], Score: round3(sc.score), Terms: shown,
		IndustryFit: fit.industryFit(sc.doc), FieldFit: fit.fieldFit(sc.doc)}
}

// addShown adds a term to those shown unless a longer one holds it; a
// shown part of t (材料 of 复合材料) gives its place to t, and a bigram
// that overlaps a shown word by a character extends it (石墨 and 墨烯 show
// as 石墨烯).
func addShown(shown []string, term string) []string {
	t := displayTerm(term)
	if t == "" {
		return shown
	}
	if strings.HasPrefix(term, bigramMark) {
		first, size := utf8.DecodeRuneInString(t)
		second := t[size:]
		for i, s := range shown {
			if strings.Contains(s, t) {
				return shown
			}
			if last, _ := utf8.DecodeLastRuneInString(s); last == first {
				shown[i] = s + second
				return shown
			}
			if strings.HasPrefix(s, second) {
				shown[i] = string(first) + s
				return shown
			}
		}
		return append(shown, t)
	}
	for i, s := range shown {
		if strings.Contains(s, t) {
			return shown
		}
		if strings.Contains(t, s) {
			shown[i] = t
			return slices.Compact(shown)
		}
	}
	return append(shown, t)
}

// displayTerm is a term as people read it: a synonym group by its
// canonical word, a bigram as its two characters, an acronym in capitals
// (cod is COD).
func displayTerm(term string) string {
	t := strings.TrimPrefix(strings.TrimPrefix(term, synonymMark), bigramMark)
	for _, r := range t {
		if r >= utf8.RuneSelf {
			return t
		}
	}
	return strings.ToUpper(t)
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

type scored struct {
	doc   uint32
	score float64
}

// hitHeap is a min-heap on score; of equal scores the later document is
// the smaller, so that ties rank in catalogue order.
type hitHeap []scored

func (h hitHeap) Len() int { return len(h) }
func (h hitHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].doc > h[j].doc
}
func (h hitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// String describes the index for logs and benchmarks.
func (ix *Index) String() string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := 0
	for _, p := range ix.postings {
		n += len(p)
	}
	return fmt.Sprintf("%d documents, %d terms, %d postings", ix.nLive, len(ix.terms), n)
}
