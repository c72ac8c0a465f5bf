package project

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// DemoOptions say how the demo park's projects are made.
type DemoOptions struct {
	Projects int // 60 when 0
	// Now is the demo's present: projects, signings and funds cover the
	// eighteen months before it.
	Now  time.Time
	Seed uint64
	// Parks are the codes of the parks projects go to, the first most.
	Parks []string
}

// DemoReport says what LoadDemo made.
type DemoReport struct {
	Projects, Signings, Funds, Spaces int
}

var demoActor = auth.System("demo")

// demoThemes are the kinds of project the demo park attracts, with their
// industry codes and the range of their investment in 万元.
var demoThemes = []struct {
	name, industry string
	minWan, maxWan int
	space          string
}{
	{"动力电池电芯生产线", "C3841", 30000, 200000, "land"},
	{"工业机器人整机制造", "C3491", 8000, 60000, "factory"},
	{"集成电路封装测试", "C3973", 20000, 150000, "land"},
	{"生物医药研发中心", "C2720", 5000, 40000, "factory"},
	{"智能网联汽车零部件", "C3670", 10000, 80000, "factory"},
	{"工业软件研发总部", "I6513", 2000, 15000, "incubator"},
	{"光伏组件智能工厂", "C3825", 15000, 120000, "land"},
	{"医疗器械产业化", "C3581", 3000, 25000, "factory"},
	{"数据中心", "I6450", 10000, 90000, "land"},
	{"新材料中试基地", "C2653", 4000, 30000, "incubator"},
}

var demoInvestors = []string{"宁远新能源科技股份有限公司", "华辰智能装备有限公司", "芯瑞半导体（杭州）有限公司", "康泽生物医药有限公司",
	"远驰汽车科技集团", "数衡软件股份有限公司", "晶耀光伏能源有限公司", "安和医疗器械有限公司", "云栖数据科技有限公司", "中材未来新材料研究院"}

// LoadDemo fills the demo park's investment projects through the import,
// as an officer would: a projects file, a signings file (first signings and
// later supplements) and a funds file, eighteen months deep; and the
// park's space and one industry fund. A database that has projects is left
// alone.
func (s *Service) LoadDemo(ctx context.Context, opts DemoOptions) (DemoReport, error) {
	var rep DemoReport
	var have int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM projects").Scan(&have); err != nil || have > 0 {
		return rep, err
	}
	if opts.Projects <= 0 {
		opts.Projects = 60
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if len(opts.Parks) == 0 {
		opts.Parks = []string{""}
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x70726f6a))
	now := opts.Now.UTC()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -18, 0)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	var projects, signings, funds strings.Builder
	projects.WriteString("code,name,investor,industry_code,stage,expected_output,park,stage_since,space_kind,space_area\n")
	signings.WriteString("code,signed_on,total_investment,ceremony\n")
	funds.WriteString("code,month,funds_in_place\n")
	ceremonies := map[int]string{}
	type move struct {
		code  string
		stage Stage
		on    string
	}
	var moves []move
	for i := range opts.Projects {
		th := demoThemes[rng.IntN(len(demoThemes))]
		code := fmt.Sprintf("ZS%s-%03d", start.Format("2006"), i+1)
		park := opts.Parks[0]
		if len(opts.Parks) > 1 && rng.IntN(4) == 0 {
			park = opts.Parks[1+rng.IntN(len(opts.Parks)-1)]
		}
		found := start.AddDate(0, 0, rng.IntN(510))
		if !found.Before(now) {
			found = now.AddDate(0, 0, -1)
		}
		wan := th.minWan + rng.IntN(th.maxWan-th.minWan+1)
		total := int64(wan) * 10000
		// How far the project got: later projects are earlier in the pipeline.
		age := now.Sub(found).Hours() / 24
		stage := Lead
		switch r := rng.Float64() * age / 540; {
		case rng.IntN(12) == 0:
			stage = Dropped
		case r > 0.55:
			stage = Producing
		case r > 0.35:
			stage = Started
		case r > 0.18:
			stage = Signed
		case r > 0.06:
			stage = Negotiating
		}
		stageSince := found
		var signedOn time.Time
		if stage.rank() >= Signed.rank() && stage != Dropped {
			signedOn = found.AddDate(0, 0, 20+rng.IntN(60))
			if !signedOn.Before(now) {
				signedOn = now.AddDate(0, 0, -1)
			}
			stageSince = signedOn
			// Ceremonies group the signings of a quarter.
			q := signedOn.Year()*4 + int(signedOn.Month()-1)/3
			cer, ok := ceremonies[q]
			if !ok {
				cer = fmt.Sprintf("%d年第%d季度重大项目集中签约", signedOn.Year(), int(signedOn.Month()-1)/3+1)
				ceremonies[q] = cer
			}
			if rng.IntN(3) == 0 {
				cer = ""
			}
			fmt.Fprintf(&signings, "%s,%s,%d,%s\n", code, day(signedOn), total, cer)
			rep.Signings++
			if rng.IntN(4) == 0 && now.Sub(signedOn) > 90*24*time.Hour {
				// A supplement: a capital increase counted for its increase only.
				later := signedOn.AddDate(0, 0, 60+rng.IntN(int(now.Sub(signedOn).Hours()/24)-59))
				if later.Before(now) {
					total += total * int64(10+rng.IntN(40)) / 100
					fmt.Fprintf(&signings, "%s,%s,%d,\n", code, day(later), total)
					rep.Signings++
				}
			}
		}
		if stage == Started || stage == Producing {
			// Funds arrive month by month after the signing, up to about
			// the total for producing projects.
			share := 0.35 + rng.Float64()*0.3
			if stage == Producing {
				share = 0.7 + rng.Float64()*0.3
			}
			months := 0
			for m := time.Date(signedOn.Year(), signedOn.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0); m.Before(now); m = m.AddDate(0, 1, 0) {
				months++
			}
			if months > 0 {
				left := int64(float64(total) * share)
				m := time.Date(signedOn.Year(), signedOn.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
				for k := 0; k < months && left > 0; k++ {
					if rng.IntN(3) == 0 && k < months-1 {
						m = m.AddDate(0, 1, 0)
						continue
					}
					amount := left / int64(max(1, months-k)) * int64(1+rng.IntN(2))
					if amount > left || k == months-1 {
						amount = left
					}
					amount -= amount % 10000
					if amount > 0 {
						fmt.Fprintf(&funds, "%s,%s,%d\n", code, m.Format("2006-01"), amount)
						rep.Funds++
					}
					left -= amount
					m = m.AddDate(0, 1, 0)
				}
			}
			stageSince = signedOn.AddDate(0, 0, 30+rng.IntN(60))
			if !stageSince.Before(now) {
				stageSince = now.AddDate(0, 0, -1)
			}
		}
		output := total * int64(12+rng.IntN(18)) / 10
		area := 2000 + rng.IntN(60000)
		fmt.Fprintf(&projects, "%s,%s,%s,%s,%s,%d,%s,%s,%s,%d\n", code, th.name+"项目",
			demoInvestors[rng.IntN(len(demoInvestors))], th.industry, stageBeforeSigning(stage), output, park, day(found), th.space, area)
		if stage == Started || stage == Producing {
			// The stage after signing is set once the signings are in.
			moves = append(moves, move{code, stage, day(stageSince)})
		}
	}
	for _, f := range []struct{ name, data string }{{"demo-projects.csv", projects.String()}, {"demo-signings.csv", signings.String()}, {"demo-funds.csv", funds.String()}} {
		r, err := s.Import(ctx, demoActor, f.name, []byte(f.data), false)
		if err != nil {
			return rep, fmt.Errorf("demo %s: %w", f.name, err)
		}
		if f.name == "demo-projects.csv" {
			rep.Projects = r.Created
		}
	}
	for _, m := range moves {
		if err := s.SetStage(ctx, demoActor, m.code, m.stage, m.on); err != nil {
			return rep, fmt.Errorf("demo stage of %s: %w", m.code, err)
		}
	}
	n, err := s.loadDemoSpace(ctx, opts.Parks[0], now)
	rep.Spaces = n
	return rep, err
}

// stageBeforeSigning is the stage a project is imported at: a signed
// project comes in as negotiating and its signings move it.
func stageBeforeSigning(st Stage) Stage {
	switch st {
	case Signed, Started, Producing:
		return Negotiating
	}
	return st
}

// loadDemoSpace adds the park's space and its industry fund.
func (s *Service) loadDemoSpace(ctx context.Context, park string, now time.Time) (int, error) {
	spaces := []struct {
		code, name, kind, area, price, status string
	}{
		{"KJ-A1", "科技园 A1 栋标准厂房", "factory", "12000", "32.00", "available"},
		{"KJ-A2", "科技园 A2 栋标准厂房", "factory", "8600", "32.00", "occupied"},
		{"KJ-B3", "智造园 B3 栋标准厂房", "factory", "20000", "28.50", "reserved"},
		{"FH-1", "创新大厦孵化器 6—12 层", "incubator", "9500", "45.00", "available"},
		{"FH-2", "青年创业中心", "incubator", "3200", "38.00", "available"},
		{"TD-07", "07 号地块工业用地指标", "land", "86000", "1150.00", "available"},
		{"TD-12", "12 号地块（重大项目预留）", "land", "133000", "1080.00", "reserved"},
	}
	stamp := store.FormatTime(now)
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var parkID any
		if park != "" {
			var id int64
			if err := tx.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", park).Scan(&id); err != nil {
				return err
			}
			parkID = id
		}
		for _, sp := range spaces {
			if _, err := tx.Exec(ctx, "INSERT INTO park_spaces (code, name, park_id, kind, area, price, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				sp.code, sp.name, parkID, sp.kind, sp.area, sp.price, sp.status, stamp); err != nil {
				return err
			}
		}
		var fund int64
		if err := tx.QueryRow(ctx, "INSERT INTO industry_funds (code, name, park_id, size, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			"CYJJ-1", "高新区产业引导基金", parkID, "3000000000.00", stamp).Scan(&fund); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT id, total_investment FROM projects WHERE stage IN ('started', 'producing') AND total_investment IS NOT NULL ORDER BY code LIMIT 4")
		if err != nil {
			return err
		}
		type inv struct {
			id    int64
			total string
		}
		var invs []inv
		for rows.Next() {
			var v inv
			if err := rows.Scan(&v.id, &v.total); err != nil {
				rows.Close()
				return err
			}
			invs = append(invs, v)
		}
		rows.Close()
		for i, v := range invs {
			kind := "investment"
			if i%2 == 1 {
				kind = "commitment"
			}
			amount, _ := ParseAmount(v.total)
			if _, err := tx.Exec(ctx, "INSERT INTO fund_investments (fund_id, kind, project_id, amount, on_date) VALUES (?, ?, ?, ?, ?)",
				fund, kind, v.id, (amount / 10).String(), now.AddDate(0, -2*i-1, 0).Format(time.DateOnly)); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: demoActor, Action: "project.space.demo", ObjectType: "park_space", ObjectID: park,
			After: map[string]any{"spaces": len(spaces), "fund": "CYJJ-1"}, At: now})
	})
	return len(spaces), err
}
