// Package project keeps the park's investment projects (招商项目): their
// stages with dated history, signings, funds in place by month, milestones,
// stalled alerts, signing ceremonies, and the park's space and industry
// funds. Every method takes the principal who asks; every change is
// audited in its own transaction.
package project

import (
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/money"
)

// Stage is where a project stands. A project moves lead → negotiating →
// signed → started → producing, or is dropped at any stage.
type Stage string

// The stages (推介, 在谈, 签约, 开工, 投产, 终止).
const (
	Lead        Stage = "lead"
	Negotiating Stage = "negotiating"
	Signed      Stage = "signed"
	Started     Stage = "started"
	Producing   Stage = "producing"
	Dropped     Stage = "dropped"
)

// Stages lists the stages in pipeline order.
var Stages = []Stage{Lead, Negotiating, Signed, Started, Producing, Dropped}

// stageNames are the Chinese words people write in a stage column.
var stageNames = map[string]Stage{
	"推介": Lead, "线索": Lead, "储备": Lead,
	"在谈": Negotiating, "洽谈": Negotiating,
	"签约": Signed, "已签约": Signed,
	"开工": Started, "在建": Started, "已开工": Started,
	"投产": Producing, "已投产": Producing,
	"终止": Dropped, "放弃": Dropped,
}

// ParseStage reads a stage by its code or its Chinese name.
func ParseStage(s string) (Stage, bool) {
	s = strings.TrimSpace(s)
	if st, ok := stageNames[s]; ok {
		return st, true
	}
	st := Stage(strings.ToLower(s))
	for _, known := range Stages {
		if st == known {
			return st, true
		}
	}
	return "", false
}

// rank orders the live stages; a project never moves back by a signing.
func (s Stage) rank() int {
	for i, known := range Stages {
		if s == known {
			return i
		}
	}
	return -1
}

// stallDays is how long a project of each stage may go without a stage
// change or funds before it is flagged as stalled: talks drag, signed
// projects must break ground, sites must not sit idle.
var stallDays = map[Stage]int{Lead: 90, Negotiating: 60, Signed: 90, Started: 120}

// StallDays is the threshold of a stage, 0 when the stage never stalls.
func StallDays(s Stage) int { return stallDays[s] }

// Project is one investment project as lists and the API show it.
type Project struct {
	ID              int64     `json:"-"`
	Code            string    `json:"code"`
	Name            string    `json:"name"`
	Investor        string    `json:"investor"`
	EnterpriseUSCC  string    `json:"enterprise_uscc,omitempty"` // the investor once it is in the registry
	IndustryCode    string    `json:"industry_code,omitempty"`
	ParkID          int64     `json:"-"`
	Park            string    `json:"park,omitempty"` // its code
	Stage           Stage     `json:"stage"`
	StageSince      string    `json:"stage_since"`
	TotalInvestment money.Fen `json:"-"`
	Signed          bool      `json:"-"` // TotalInvestment is set
	ExpectedOutput  money.Fen `json:"-"`
	HasOutput       bool      `json:"-"`
	FundsInPlace    money.Fen `json:"-"` // all months
	SpaceKind       string    `json:"space_kind,omitempty"`
	SpaceArea       string    `json:"space_area,omitempty"`
	Officer         string    `json:"officer,omitempty"`
	LastActivity    string    `json:"last_activity"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Signing is one signing of a project.
type Signing struct {
	SignedOn        string    `json:"signed_on"`
	TotalInvestment money.Fen `json:"total_investment"`
	Increase        money.Fen `json:"increase"`
	First           bool      `json:"first"`
	Ceremony        string    `json:"ceremony,omitempty"`
}

// Funds is the money that arrived in one month.
type Funds struct {
	Month  string    `json:"month"`
	Amount money.Fen `json:"funds_in_place"`
}

// StageChange is one step of a project's history.
type StageChange struct {
	Stage Stage  `json:"stage"`
	On    string `json:"on"`
	Actor string `json:"actor"`
}

// Milestone is a dated step a project has to reach.
type Milestone struct {
	Title  string `json:"title"`
	DueOn  string `json:"due_on"`
	DoneOn string `json:"done_on,omitempty"`
}

// Detail is a project with its history.
type Detail struct {
	Project
	Stages     []StageChange `json:"stages"`
	Signings   []Signing     `json:"signings"`
	Funds      []Funds       `json:"funds"`
	Milestones []Milestone   `json:"milestones"`
}
