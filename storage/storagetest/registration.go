package storagetest

import (
	"fmt"
	"testing"
	"time"

	"thiduabot/thidua"
)

// testRegistration round-trips a block in the middle of its registration
// phase: criteria, pledges of every kind of target, lists in each state,
// deadlines in the province's time zone, an opened covenant with a
// signature, people nominated. It checks that nothing is lost or altered
// by the store, that a further change (registration closed, then opened
// for one unit alone) keeps its history, and that a
// document written before registration existed reads as "nothing
// registered yet", and one written before nominations existed as "nobody
// nominated", taking nominations then.
func (s *suite) testRegistration(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	b := registeringBlock(t)
	want := *b
	mustCreate(t, st, b)
	want.Version = 1
	got, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block with registration", got, &want)
	if got, err = st.BlockByChat(ctx, -100); err != nil {
		t.Fatalf("BlockByChat: %v", err)
	}
	sameBlock(t, "BlockByChat with registration", got, &want)

	// The values the rules depend on survive, not just their encoding.
	ict := time.FixedZone("ICT", 7*3600)
	reg := got.Registration
	u1 := got.RegistrationOf("u1")
	switch {
	case !reg.Open || !reg.Due.Equal(time.Date(2025, 3, 31, 0, 0, 0, 0, ict)) || reg.Opened == nil || reg.Opened.UserID != Admin.UserID:
		t.Errorf("registration %+v", reg)
	case len(reg.Criteria) != 2 || got.CriteriaTotal() != 100:
		t.Errorf("criteria %+v", reg.Criteria)
	case len(u1.Pledges) != 4 || u1.State != thidua.ListApproved || u1.Round != 1 || u1.Signed == nil || !u1.Signed.At.Equal(Now):
		t.Errorf("unit u1 %+v", u1)
	case u1.Pledges[0].Target.Number == nil || *u1.Pledges[0].Target.Number != 25.3 || u1.Pledges[0].Target.Measure != "tỷ đồng":
		t.Errorf("number target %+v", u1.Pledges[0].Target)
	case u1.Pledges[1].Target.Number == nil || *u1.Pledges[1].Target.Number != 0:
		t.Errorf("zero target %+v", u1.Pledges[1].Target)
	case u1.Pledges[2].Target.Text != "hoàn thành xuất sắc" || !u1.Pledges[3].Target.IsZero():
		t.Errorf("text and empty targets %+v, %+v", u1.Pledges[2].Target, u1.Pledges[3].Target)
	case !u1.Pledges[3].Due.Equal(time.Date(2025, 11, 30, 0, 0, 0, 0, ict)):
		t.Errorf("default due %v", u1.Pledges[3].Due)
	case got.RegistrationOf("u2").State != thidua.ListReturned || got.RegistrationOf("u2").Reason != "Bổ sung chỉ tiêu":
		t.Errorf("unit u2 %+v", got.RegistrationOf("u2"))
	case reg.Covenant == nil || reg.Covenant.Post != 1 || reg.Covenant.MessageID != 42 || !got.CovenantDue().Equal(time.Date(2025, 4, 15, 0, 0, 0, 0, ict)):
		t.Errorf("covenant %+v", reg.Covenant)
	case fmt.Sprint(got.UnsignedUnits()) != "[u2 u3]" || fmt.Sprint(got.UnitsWithoutPledges()) != "[u3]":
		t.Errorf("unsigned %v, without pledges %v", got.UnsignedUnits(), got.UnitsWithoutPledges())
	case len(got.ExemplarsOf("u1")) != 2 || got.ExemplarsOf("u1")[0].Achievement != "Vận động quỹ" || !got.ExemplarsOf("u1")[1].Leader ||
		!got.ExemplarsOf("u1")[1].Marked || got.ExemplarTally() != (thidua.ExemplarTally{Total: 2, NonLeaders: 1}):
		t.Errorf("nominations %+v", reg.Exemplars)
	}

	minh := thidua.Actor{UserID: 3, Name: "Minh", Username: "minh"}
	got, err = st.Update(ctx, "b1", func(b *thidua.Block) error {
		d, err := thidua.ParsePledge("Vận động hội viên | 1.200 hội viên | 31/10/2025", 2025, ict)
		if err != nil {
			return err
		}
		if _, _, err := b.EditPledge(minh, "u2", 1, d, Now); err != nil {
			return err
		}
		if err := b.CloseRegistration(Admin, Now); err != nil {
			return err
		}
		return b.OpenRegistrationAlone(Admin, "u2", time.Date(2025, 3, 20, 0, 0, 0, 0, ict), Now)
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	read, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block after a registration Update", read, got)
	if o := read.RegistrationOf("u2").Opening; read.Registration.Open || read.RegistrationOf("u2").Pledges[0].Target.String() != "1.200 hội viên" ||
		o == nil || o.Opened.UserID != Admin.UserID || !o.Opened.At.Equal(Now) || !o.Due.Equal(time.Date(2025, 3, 20, 0, 0, 0, 0, ict)) ||
		read.RegistrationOpenFor("u2") != nil || read.RegistrationOpenFor("u1") == nil {
		t.Errorf("update not stored: %+v", read.Registration)
	}
	h := history(t, st, "b1", 3)
	if len(h) != 3 || h[0].Action != "pledge.edit" || h[0].Subject != "u2" || h[0].ActorID != minh.UserID ||
		h[0].Before != "1. Phát triển hội viên | 1.000 hội viên | 30/11/2025" || h[0].After != "1. Vận động hội viên | 1.200 hội viên | 31/10/2025" ||
		h[1].Action != "reg.close" || h[2].Action != "reg.unit_open" || h[2].Subject != "u2" {
		t.Errorf("history %+v", h)
	}

	if s.seed == nil {
		return
	}
	old := s.seed(t, map[string][]byte{
		"old": []byte(`{"schema":1,"version":3,"id":"old","chat_id":-200,"name":"Khối","year":2025,"units":[{"id":"u1","name":"A"},{"id":"u2","name":"B"}],"next_seq":3}`),
		"proposing": []byte(`{"schema":2,"version":5,"id":"proposing","chat_id":-300,"name":"Khối","year":2025,"units":[{"id":"u1","name":"A"}],"next_seq":2,` +
			`"registration":{"proposals":[{"award":"Bằng khen của UBND tỉnh","unit_ids":["u1"]}]}}`),
	})
	ob, err := old.Block(ctx, "old")
	if err != nil {
		t.Fatalf("Block of a document without registration: %v", err)
	}
	if ob.Registration.Open || ob.Registration.Opened != nil || ob.Registration.Covenant != nil || len(ob.Registration.Criteria) != 0 ||
		fmt.Sprint(ob.UnitsWithoutPledges()) != "[u1 u2]" || ob.UnsignedUnits() != nil || !ob.RegistrationDue().IsZero() {
		t.Errorf("a document without registration reads as %+v", ob.Registration)
	}
	pb, err := old.Update(ctx, "proposing", func(b *thidua.Block) error {
		if len(b.Registration.Exemplars) != 0 || b.ExemplarTally() != (thidua.ExemplarTally{}) || b.ProposalOf("u1") == "" {
			return fmt.Errorf("a document without nominations reads as %+v", b.Registration)
		}
		_, err := b.Nominate(Admin, "u1", []thidua.ExemplarLine{{Name: "Lê Văn An", Position: "Hội viên"}}, Now)
		return err
	})
	if err != nil {
		t.Fatalf("nominating in a document written before nominations: %v", err)
	}
	if read, err := old.Block(ctx, "proposing"); err != nil || len(read.Registration.Exemplars) != 1 || read.ProposalOf("u1") == "" {
		t.Errorf("read back: %+v, %v", read, err)
	} else {
		sameBlock(t, "a document written before nominations, after one", read, pb)
	}
}

// registeringBlock returns a block of three units in the middle of
// registration: u1 approved and signed with four pledges and two people
// nominated, the second marked as holding a leadership post, u2 returned,
// u3 with nothing; its events are pending.
func registeringBlock(t *testing.T) *thidua.Block {
	t.Helper()
	ict := time.FixedZone("ICT", 7*3600)
	b := NewBlock(t, "b1", -100, "Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh")
	lan := thidua.Actor{UserID: 2, Name: "Lan"}
	minh := thidua.Actor{UserID: 3, Name: "Minh", Username: "minh"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	pledges := func(lines ...string) []thidua.PledgeDraft {
		t.Helper()
		var out []thidua.PledgeDraft
		for _, l := range lines {
			d, err := thidua.ParsePledge(l, 2025, ict)
			must(err)
			out = append(out, d)
		}
		return out
	}
	for _, j := range []struct {
		a    thidua.Actor
		unit string
	}{{lan, "u1"}, {minh, "u2"}} {
		r, err := b.RequestJoin(j.a, j.unit, Now)
		must(err)
		_, err = b.DecideJoin(Admin, r.ID, true, Now)
		must(err)
	}
	must(b.OpenRegistration(Admin, time.Date(2025, 3, 31, 0, 0, 0, 0, ict), Now))
	_, err := b.AddCriteria(Admin, []thidua.CriterionDraft{{Title: "Tuyên truyền", MaxPoints: 37.5}, {Title: "Hội viên", MaxPoints: 62.5}}, Now)
	must(err)
	_, err = b.AddPledges(lan, "u1", pledges("Giá trị sản xuất | 25,3 tỷ đồng | 15/12", "Tai nạn lao động | 0 vụ", "Phong trào thi đua | hoàn thành xuất sắc", "Tuyên truyền pháp luật"), Now)
	must(err)
	_, err = b.AddPledges(minh, "u2", pledges("Phát triển hội viên | 1.000 hội viên"), Now)
	must(err)
	for _, u := range []thidua.Actor{lan, minh} {
		_, err = b.SubmitPledges(u, b.RepOf(u.UserID).UnitID, Now)
		must(err)
	}
	_, err = b.ApprovePledges(Admin, "u1", 1, Now)
	must(err)
	_, err = b.ReturnPledges(Admin, "u2", "Bổ sung chỉ tiêu", Now)
	must(err)
	_, err = b.OpenCovenant(Admin, "Đoàn kết, vượt khó - Đổi mới, sáng tạo", time.Date(2025, 4, 15, 0, 0, 0, 0, ict), Now)
	must(err)
	must(b.SetCovenantMessage(1, 42))
	_, _, err = b.SignCovenant(lan, 1, Now)
	must(err)
	var people []thidua.ExemplarLine
	for _, l := range []string{"Nguyễn Thị Hoa | Chuyên viên | Vận động quỹ", "Trần Văn Nam | Chuyên viên | lãnh đạo"} {
		e, err := thidua.ParseExemplarLine(l)
		must(err)
		people = append(people, e)
	}
	_, err = b.Nominate(lan, "u1", people, Now)
	must(err)
	return b
}
