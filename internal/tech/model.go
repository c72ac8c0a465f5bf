package tech

import (
	"math"
	"strings"
	"time"
)

// Achievement is a technology achievement (科技成果) offered for transfer.
type Achievement struct {
	ID       int64          `json:"id,omitempty"`
	Code     string         `json:"code"`
	Title    string         `json:"title"`
	HolderID int64          `json:"holder_id,omitempty"`
	Holder   string         `json:"holder"`
	Field    Field          `json:"field"`
	Keywords []string       `json:"keywords"`
	Abstract string         `json:"abstract"`
	Maturity Maturity       `json:"maturity,omitempty"`
	Modes    []TransferMode `json:"transfer_modes"`
	// IPNumbers are patent or software copyright numbers (专利号, 登记号).
	IPNumbers []string `json:"ip_numbers"`
	Contact   string   `json:"contact,omitempty"`
	Phone     string   `json:"phone,omitempty"`
	Email     string   `json:"email,omitempty"`
	// Price is the asking price in yuan, a decimal; "" is negotiable (面议).
	Price     string    `json:"price,omitempty"`
	Status    Status    `json:"status,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Need is an enterprise's technology need (技术需求).
type Need struct {
	ID           int64  `json:"id,omitempty"`
	Code         string `json:"code"`
	EnterpriseID int64  `json:"enterprise_id,omitempty"`
	// Enterprise is the enterprise's name (or, in files, its USCC or name).
	Enterprise string `json:"enterprise"`
	USCC       string `json:"uscc,omitempty"`
	ParkID     int64  `json:"-"`
	// Industry is the enterprise's GB/T 4754 code, a signal of the match.
	Industry    string `json:"industry,omitempty"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Field       Field  `json:"field,omitempty"`
	// Budget is in yuan, a decimal; "" when not said.
	Budget string `json:"budget,omitempty"`
	// WantedBy is the time frame: the date it is wanted by, "" when open.
	WantedBy  string    `json:"wanted_by,omitempty"`
	Source    Source    `json:"source,omitempty"`
	Status    Status    `json:"status,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// Status is whether an achievement is listed or a need open.
type Status string

// The statuses: an achievement is listed or withdrawn, a need open or
// closed (met or given up).
const (
	StatusListed    Status = "listed"
	StatusWithdrawn Status = "withdrawn"
	StatusOpen      Status = "open"
	StatusClosed    Status = "closed"
)

// Source is how a need came in.
type Source string

// The sources.
const (
	SourcePortal  Source = "portal"  // the liaison posted it
	SourceOfficer Source = "officer" // an officer recorded it from a visit or an appeal
	SourceImport  Source = "import"  // a file
)

// Query weights: a need's title says what it wants in few words, so its
// terms count double its description's; the enterprise's industry name
// adds a little of its context. Bigrams and synonyms are weaker evidence
// than a shared word.
const (
	titleWeight    = 2.0
	bodyWeight     = 1.0
	industryWeight = 0.4
	bigramFactor   = 0.35
	synonymFactor  = 0.7
)

// analysed is a document's terms per field, in the order of its schema.
type analysed [][]string

func (an *analyzer) achievementTerms(a Achievement) analysed {
	return analysed{
		an.terms(a.Title),
		an.terms(strings.Join(a.Keywords, " ")),
		an.terms(a.Field.Name("zh")),
		an.terms(a.Abstract),
	}
}

func (an *analyzer) needTerms(n Need) analysed {
	return analysed{an.terms(n.Title), an.terms(n.Description)}
}

// queryOf weighs the terms of a query's parts.
func queryOf(parts ...weighted) map[string]float64 {
	raw := map[string]float64{}
	for _, p := range parts {
		for _, t := range p.terms {
			raw[t] += p.weight
		}
	}
	q := make(map[string]float64, len(raw))
	for t, r := range raw {
		w := math.Log1p(r)
		switch {
		case strings.HasPrefix(t, bigramMark):
			w *= bigramFactor
		case strings.HasPrefix(t, synonymMark):
			w *= synonymFactor
		}
		q[t] = w
	}
	return q
}

type weighted struct {
	terms  []string
	weight float64
}

// needQuery is the query that ranks achievements for a need; industryName
// is the name of the enterprise's industry ("" when unknown).
func (an *analyzer) needQuery(n Need, industryName string) Query {
	t := an.needTerms(n)
	return Query{
		Terms: queryOf(weighted{t[0], titleWeight}, weighted{t[1], bodyWeight},
			weighted{an.terms(industryName), industryWeight}),
		Field:    n.Field,
		Industry: n.Industry,
	}
}

// achievementQuery is the query that ranks needs for an achievement.
func (an *analyzer) achievementQuery(a Achievement) Query {
	t := an.achievementTerms(a)
	return Query{
		Terms: queryOf(weighted{t[0], titleWeight}, weighted{t[1], titleWeight},
			weighted{t[3], bodyWeight}),
		Field: a.Field,
	}
}

func achievementDoc(a Achievement, t analysed) Doc {
	return Doc{Key: a.Code, Terms: t, Field: a.Field}
}

func needDoc(n Need, t analysed) Doc {
	return Doc{Key: n.Code, Terms: t, Field: n.Field, Industry: n.Industry}
}
