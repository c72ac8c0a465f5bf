package vector

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// vtype is the type of a node's values.
type vtype uint8

const (
	vDec      vtype = iota + 1 // decimal: a float64 with an error bound
	vInt                       // int64
	vBool                      // bitmap
	vStr                       // interned string code
	vTime                      // a date as yyyymmdd
	vIndustry                  // index into the program's industry table
	vList                      // a list: its elements are the node's args
)

// opcode is what a node computes.
type opcode uint8

const (
	opConst opcode = iota + 1
	opErrConst
	opRead     // a snapshot column
	opAverage  // an annual average by the rule of employees_avg / total_assets_avg
	opSize     // enterprise_size as reported, else derived (a snapshot column)
	opIndustry // the row's industry code
	opRegistered
	opList
	opSum
	opAvgList
	opAdd
	opSub
	opMul
	opDiv
	opNeg
	opAbs
	opMin
	opMax
	opToDec
	opLess
	opLessEq
	opGreater
	opGreaterEq
	opEq
	opNe
	opAnd
	opOr
	opNot
	opCond
	opIfMissing
	opInSet
	opInList
	opSection
	opDivision
	opCode
	opYearsBetween
	opMonthsBetween
	opDaysBetween
	opStartsWithUSCC
	opAll
	opExists
)

// node is one operation of a program. Its args are nodes created before it,
// so that creation order is an evaluation order.
type node struct {
	op   opcode
	typ  vtype
	argT vtype // operand type, for comparisons and equality
	args []int32

	col  int32     // opRead, opSize: the column
	cols [10]int32 // opAverage: 4 quarter starts, 4 ends, the average, the plain field
	name int32     // opRead, opAverage, opSize, opIndustry, opRegistered: the name missing data is reported under

	// constants: decimal (f, fe, dec), int/time/bool/string code (i)
	f, fe float64
	dec   *apd.Decimal
	i     int64
	text  string // opErrConst: the error; opStartsWithUSCC: the prefix

	absent bool // opRead: an absent fact reads as the constant above instead of missing

	set  []int32 // opInSet: the string codes
	list int32   // opInList: index into the program's industry lists
}

// column is one (field, period) of the snapshot, or a column the snapshot
// derives (the size class).
type column struct {
	field  *facts.Field
	period facts.Period
	kind   colKind
	basis  string // colSize: "revenue" or "vat_sales"
}

type colKind uint8

const (
	colNum colKind = iota + 1
	colBool
	colStr
	colSize
)

// Program is a set of policies compiled for one evaluation date.
type Program struct {
	On       time.Time
	lastYear int
	taxMonth facts.Period // 税款所属期: the month before on's (the filing period)
	dict     *facts.Dictionary

	nodes   []node
	nodeKey map[string]int32

	cols     []column
	colIndex map[colKey]int32

	names     []string // names missing data is reported under
	nameIndex map[string]int32

	strs     []string // interned strings
	strIndex map[string]int32

	indMu    sync.Mutex
	inds     []string // industry codes seen, by index
	indIndex map[string]int32
	lists    []enterprise.IndustryList
	listIdx  map[string]int32

	Policies   []*Plan // in force on On, in id order
	NotInForce []*policy.Policy

	lib       *policy.Library
	layout    map[string]*fieldLayout
	colHashes []uint64

	orderOnce sync.Once
	order     []int32 // the nodes the vector policies use, in evaluation order
	workerMu  sync.Mutex
	idle      []*worker

	outMu   sync.Mutex
	outFree map[*Plan][]*Outcomes // released outcome columns (reuse.go)
}

type colKey struct {
	field  string
	period facts.Period
	kind   colKind
	basis  string
}

// Plan is one policy compiled into a program.
type Plan struct {
	Policy   *policy.Policy
	ID       string
	Version  string
	Verified bool
	// Fallback is why the policy is evaluated by the policy engine for
	// every row instead of the vector program; "" when it is not.
	Fallback string

	criteria []critPlan
	amount   int32   // -1 when the policy has no amount
	nodes    []int32 // every node the policy uses, in evaluation order
	// amountNodes are the nodes the amount depends on, in order: a row
	// whose criteria pass but whose amount's rounding the float path
	// cannot settle only needs these computed exactly.
	amountNodes []int32
	// names are the names the policy's missing data can be reported
	// under; missing sets are bitmasks over them.
	names     []string
	nameBit   []uint8 // by program name id
	fieldCols []int32 // the columns the policy reads, for its fingerprint
	attrs     attrSet
}

type attrSet uint8

const (
	attrIndustry attrSet = 1 << iota
	attrRegistered
	attrUSCC
)

type critPlan struct {
	// plain: the criterion's expression uses only operations whose
	// unknown is the union of their operands' unknowns (no ?:, if_missing
	// or macro; && and || are, where they are unknown themselves), so
	// that where no operation in it failed, its missing data are exactly
	// the missing reads under it: leaves, and errs the operations that
	// can fail.
	plain  bool
	leaves []int32
	errs   []int32
	logic  []int32 // the && and || under it: plain only where each is unknown

	id      string
	op      string // "" for a whole criterion
	applies int32  // -1 when the criterion always applies
	whole   int32
	left    int32
	right   int32
	tol     apd.Decimal
	tolF    float64
}

// Compile compiles the policies of set for the evaluation date on. Policies
// not in force on that date are listed in NotInForce and not evaluated.
func Compile(set *PolicySet, on time.Time) (*Program, error) {
	on = time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
	p := &Program{
		On:        on,
		lastYear:  on.Year() - 1,
		taxMonth:  facts.Month(on.Year(), int(on.Month())).AddMonths(-1),
		dict:      set.Library.Dictionary(),
		nodeKey:   map[string]int32{},
		colIndex:  map[colKey]int32{},
		nameIndex: map[string]int32{},
		strIndex:  map[string]int32{},
		indIndex:  map[string]int32{},
		listIdx:   map[string]int32{},
		lib:       set.Library,
	}
	// Every enum value of the dictionary is interned first, so that a
	// snapshot never needs to intern while it is read.
	for _, f := range p.dict.Fields() {
		for _, v := range f.Enum {
			p.intern(v)
		}
	}
	for _, pol := range set.Policies {
		if !pol.InForce(on) {
			p.NotInForce = append(p.NotInForce, pol)
			continue
		}
		plan := &Plan{Policy: pol, ID: pol.ID(), Version: pol.Version(), Verified: pol.MatchVerified(on), amount: -1}
		mp, err := set.Library.MatchPlan(pol, set.raw[pol])
		if err != nil {
			return nil, err
		}
		mark := len(p.nodes)
		if err := p.lowerPolicy(plan, mp); err != nil {
			var u unsupported
			if !asUnsupported(err, &u) {
				return nil, err
			}
			// The nodes made so far stay: they may be shared, and an unused
			// node costs one pass over a window at most.
			_ = mark
			plan.Fallback = string(u)
			plan.criteria, plan.amount = nil, -1
		}
		p.Policies = append(p.Policies, plan)
	}
	for _, plan := range p.Policies {
		if plan.Fallback == "" {
			p.finishPlan(plan)
		}
	}
	return p, nil
}

// finishPlan lists the nodes a policy uses and the names and columns they
// read.
func (p *Program) finishPlan(plan *Plan) {
	used := make([]bool, len(p.nodes))
	var visit func(int32)
	visit = func(id int32) {
		if id < 0 || used[id] {
			return
		}
		used[id] = true
		for _, a := range p.nodes[id].args {
			visit(a)
		}
	}
	for _, c := range plan.criteria {
		visit(c.applies)
		visit(c.whole)
		visit(c.left)
		visit(c.right)
	}
	visit(plan.amount)
	nameSeen := map[int32]bool{}
	colSeen := map[int32]bool{}
	addCol := func(c int32) {
		if !colSeen[c] {
			colSeen[c] = true
			plan.fieldCols = append(plan.fieldCols, c)
		}
	}
	if plan.amount >= 0 {
		inAmount := make([]bool, len(p.nodes))
		var cone func(int32)
		cone = func(id int32) {
			if inAmount[id] {
				return
			}
			inAmount[id] = true
			for _, a := range p.nodes[id].args {
				cone(a)
			}
		}
		cone(plan.amount)
		for id, in := range inAmount {
			if in {
				plan.amountNodes = append(plan.amountNodes, int32(id))
			}
		}
	}
	for id, u := range used {
		if !u {
			continue
		}
		plan.nodes = append(plan.nodes, int32(id))
		n := &p.nodes[id]
		switch n.op {
		case opRead, opSize:
			addCol(n.col)
		case opAverage:
			for _, c := range n.cols {
				addCol(c)
			}
		case opIndustry:
			plan.attrs |= attrIndustry
		case opRegistered:
			plan.attrs |= attrRegistered
		case opStartsWithUSCC:
			plan.attrs |= attrUSCC
		}
		switch n.op {
		case opRead, opAverage, opSize, opIndustry, opRegistered:
			if n.op == opRead && n.absent {
				continue
			}
			nameSeen[n.name] = true
		}
	}
	for ci := range plan.criteria {
		p.classifyCriterion(&plan.criteria[ci])
	}
	// Bits in name order, so that a missing list comes out sorted.
	ids := make([]int32, 0, len(nameSeen))
	for id := range nameSeen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return p.names[ids[i]] < p.names[ids[j]] })
	if len(ids) > 64 {
		plan.Fallback = "the policy reads more than 64 fields"
		return
	}
	plan.nameBit = make([]uint8, len(p.names))
	for b, id := range ids {
		plan.nameBit[id] = uint8(b)
		plan.names = append(plan.names, p.names[id])
	}
	// Size columns read the facts they are derived from.
	for _, c := range plan.fieldCols {
		if p.cols[c].kind == colSize {
			plan.attrs |= attrIndustry
		}
	}
	sort.Slice(plan.fieldCols, func(i, j int) bool { return plan.fieldCols[i] < plan.fieldCols[j] })
}

// add appends a node, or returns the identical node made before: the
// sharing of values across policies.
func (p *Program) add(n node) int32 {
	var b strings.Builder
	var buf [8]byte
	w := func(x uint64) { binary.LittleEndian.PutUint64(buf[:], x); b.Write(buf[:]) }
	w(uint64(n.op) | uint64(n.typ)<<8 | uint64(n.argT)<<16)
	w(uint64(len(n.args)))
	for _, a := range n.args {
		w(uint64(a))
	}
	w(uint64(uint32(n.col)))
	for _, c := range n.cols {
		w(uint64(uint32(c)))
	}
	w(uint64(uint32(n.name)))
	w(math.Float64bits(n.f))
	w(math.Float64bits(n.fe))
	w(uint64(n.i))
	if n.dec != nil {
		b.WriteString(n.dec.Text('e'))
	}
	b.WriteByte(0)
	b.WriteString(n.text)
	if n.absent {
		b.WriteByte(1)
	}
	w(uint64(len(n.set)))
	for _, s := range n.set {
		w(uint64(s))
	}
	w(uint64(uint32(n.list)))
	key := b.String()
	if id, ok := p.nodeKey[key]; ok {
		return id
	}
	id := int32(len(p.nodes))
	p.nodes = append(p.nodes, n)
	p.nodeKey[key] = id
	return id
}

func (p *Program) intern(s string) int32 {
	if id, ok := p.strIndex[s]; ok {
		return id
	}
	id := int32(len(p.strs))
	p.strs = append(p.strs, s)
	p.strIndex[s] = id
	return id
}

func (p *Program) nameID(s string) int32 {
	if id, ok := p.nameIndex[s]; ok {
		return id
	}
	id := int32(len(p.names))
	p.names = append(p.names, s)
	p.nameIndex[s] = id
	return id
}

func (p *Program) column(k colKey, f *facts.Field) int32 {
	if id, ok := p.colIndex[k]; ok {
		return id
	}
	id := int32(len(p.cols))
	p.cols = append(p.cols, column{field: f, period: k.period, kind: k.kind, basis: k.basis})
	p.colIndex[k] = id
	return id
}

// industry returns the index of an industry code, adding it.
func (p *Program) industry(code string) int32 {
	p.indMu.Lock()
	defer p.indMu.Unlock()
	if id, ok := p.indIndex[code]; ok {
		return id
	}
	id := int32(len(p.inds))
	p.inds = append(p.inds, code)
	p.indIndex[code] = id
	return id
}

// industryView is what evaluation reads of the industry table: the codes
// and, per list, whether each is a member. A chunk takes one when it is
// finished, so that evaluation never locks.
type industryView struct {
	codes   []string
	member  [][]bool
	section []int32 // string codes of the sections, divisions and codes
	div     []int32
	code    []int32
}

func (p *Program) industryView() *industryView {
	p.indMu.Lock()
	defer p.indMu.Unlock()
	v := &industryView{codes: p.inds[:len(p.inds):len(p.inds)]}
	for li := range p.lists {
		m := make([]bool, len(p.inds))
		for i, c := range p.inds {
			m[i] = p.lists[li].Contains(c)
		}
		v.member = append(v.member, m)
	}
	v.section = make([]int32, len(p.inds))
	v.div = make([]int32, len(p.inds))
	v.code = make([]int32, len(p.inds))
	for i, c := range p.inds {
		v.section[i] = p.lookupStr(enterprise.SectionOf(c))
		d := ""
		if len(c) >= 3 {
			d = c[1:3]
		}
		v.div[i] = p.lookupStr(d)
		v.code[i] = p.lookupStr(c)
	}
	return v
}

// lookupStr returns the code of an interned string, or -2 for a string no
// expression mentions (it equals none of them).
func (p *Program) lookupStr(s string) int32 {
	if id, ok := p.strIndex[s]; ok {
		return id
	}
	return -2
}

// Plan returns the plan of a policy by id.
func (p *Program) Plan(id string) (*Plan, bool) {
	for _, pl := range p.Policies {
		if pl.ID == id {
			return pl, true
		}
	}
	return nil, false
}

// Columns describes the snapshot columns, for diagnostics.
func (p *Program) Columns() int { return len(p.cols) }

// Nodes is the number of operations of the program.
func (p *Program) Nodes() int { return len(p.nodes) }

func (p *Program) String() string {
	return fmt.Sprintf("program for %s: %d policies, %d nodes, %d columns", p.On.Format(time.DateOnly), len(p.Policies), len(p.nodes), len(p.cols))
}

// classifyCriterion finds whether a criterion is plain (see critPlan) and
// lists its reads and the operations that can fail.
func (p *Program) classifyCriterion(cp *critPlan) {
	if cp.applies >= 0 {
		return
	}
	seen := map[int32]bool{}
	plain := true
	var visit func(id int32)
	visit = func(id int32) {
		if id < 0 || seen[id] {
			return
		}
		seen[id] = true
		n := &p.nodes[id]
		switch n.op {
		case opAnd, opOr:
			cp.logic = append(cp.logic, id)
		case opCond, opIfMissing, opAll, opExists:
			plain = false
		case opRead, opAverage, opSize, opIndustry, opRegistered:
			if !(n.op == opRead && n.absent) {
				cp.leaves = append(cp.leaves, id)
			}
		case opDiv, opErrConst, opAdd, opSub, opMul, opNeg:
			if n.op == opDiv || n.op == opErrConst || n.typ == vInt {
				cp.errs = append(cp.errs, id)
			}
		}
		for _, a := range n.args {
			visit(a)
		}
	}
	visit(cp.whole)
	visit(cp.left)
	visit(cp.right)
	cp.plain = plain
	if !plain {
		cp.leaves, cp.errs, cp.logic = nil, nil, nil
	}
}
