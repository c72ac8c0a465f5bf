package tech

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// DemoOptions say how the demo park's technology desk is made.
type DemoOptions struct {
	Achievements int // 200 when 0
	Needs        int // 50 when 0
	// Showcase is the demo liaison's enterprise, given a need first when
	// its industry takes up one of the topics.
	Showcase int64
	// Now is the demo's present; needs and dockings date from the months
	// before it.
	Now  time.Time
	Seed uint64
}

// DemoReport says what LoadDemo made.
type DemoReport struct {
	Achievements, Needs, Dockings, Contracts, Events int
}

var demoActor = auth.System("demo")

// LoadDemo fills the desk of a demo park: a catalogue of generated
// achievements, needs of the park's enterprises in their industries, a
// docking event, and introductions at every stage. A database whose
// catalogue is not empty is left alone.
func (s *Service) LoadDemo(ctx context.Context, opts DemoOptions) (DemoReport, error) {
	var rep DemoReport
	var have int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_achievements").Scan(&have); err != nil || have > 0 {
		return rep, err
	}
	if opts.Achievements <= 0 {
		opts.Achievements = 200
	}
	if opts.Needs <= 0 {
		opts.Needs = 50
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	at := func(daysAgo int) *Service {
		t := opts.Now.AddDate(0, 0, -daysAgo)
		return &Service{DB: s.DB, PortalURL: s.PortalURL, Now: func() time.Time { return t }}
	}
	achs := SyntheticAchievements(opts.Seed+7, opts.Achievements)
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		rev, err := bumpCounter(ctx, tx, "achievements")
		if err != nil {
			return err
		}
		holders := map[string]int64{}
		for _, a := range achs {
			if err := at(120).upsertAchievement(ctx, tx, demoActor, a, rev, holders); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("tech demo: catalogue: %w", err)
	}
	rep.Achievements = len(achs)
	// The needs: enterprises whose industry takes up a topic, the showcase
	// first.
	rows, err := s.DB.Query(ctx, `SELECT id, industry_code FROM enterprises WHERE industry_code IS NOT NULL
ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, id LIMIT 5000`, opts.Showcase)
	if err != nil {
		return rep, err
	}
	type ent struct {
		id       int64
		industry string
	}
	var ents []ent
	for rows.Next() {
		var e ent
		if err := rows.Scan(&e.id, &e.industry); err != nil {
			rows.Close()
			return rep, err
		}
		ents = append(ents, e)
	}
	rows.Close()
	var needs []Need
	for i, e := range ents {
		if len(needs) == opts.Needs {
			break
		}
		n, ok := SyntheticNeedFor(opts.Seed+11, i, e.industry)
		if !ok {
			continue
		}
		spec := NeedSpec{EnterpriseID: e.id, Title: n.Title, Description: n.Description}
		if i%3 == 0 {
			spec.Budget = fmt.Sprintf("%d万", 20+10*(i%9))
		}
		posted, err := at(90-len(needs)).PostNeed(ctx, demoActor, spec)
		if err != nil {
			return rep, fmt.Errorf("tech demo: need: %w", err)
		}
		needs = append(needs, posted)
	}
	rep.Needs = len(needs)
	ev, err := at(40).CreateEvent(ctx, demoActor, EventSpec{Title: "先进制造与新材料产学研对接会", HeldOn: opts.Now.AddDate(0, 0, -30).Format(time.DateOnly),
		Place: "园区科创中心报告厅", Note: "高校院所成果路演与企业需求发布"})
	if err != nil {
		return rep, err
	}
	rep.Events = 1
	// Introductions of the best match of some needs, followed to every stage.
	for i, n := range needs {
		if i >= 20 || i == 0 { // the showcase's need is left for the officer to introduce
			continue
		}
		_, recs, err := s.Recommend(ctx, demoActor, n.ID, 1)
		if err != nil || len(recs) == 0 {
			if err != nil {
				return rep, err
			}
			continue
		}
		in := Introduction{EnterpriseID: n.EnterpriseID, AchievementCode: recs[0].Achievement.Code, NeedID: n.ID}
		if i%4 == 1 {
			in.EventID = ev.ID
			if err := at(35).SignUpEnterprise(ctx, demoActor, ev.ID, n.EnterpriseID); err != nil {
				return rep, err
			}
		}
		d, err := at(60-2*i).Introduce(ctx, demoActor, in)
		if err != nil {
			return rep, err
		}
		rep.Dockings++
		switch i % 5 {
		case 1, 2:
			_, err = at(50-2*i).Advance(ctx, demoActor, d.ID, Progress{Stage: StageTalks, Note: "双方技术交流"})
			if err == nil && i%5 == 1 {
				signed := opts.Now.AddDate(0, 0, -(40 - 2*i))
				_, err = at(40-2*i).Advance(ctx, demoActor, d.ID, Progress{Stage: StageSigned, Amount: fmt.Sprintf("%d万", 30+15*i),
					Mode: string(recs[0].Achievement.Modes[0]), SignedOn: signed.Format(time.DateOnly)})
				rep.Contracts++
			}
		case 4:
			_, err = at(45-2*i).Advance(ctx, demoActor, d.ID, Progress{Stage: StageClosed, Reason: "企业预算不足，暂缓合作"})
		}
		if err != nil {
			return rep, fmt.Errorf("tech demo: docking: %w", err)
		}
	}
	return rep, nil
}
