package thidua

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// proposed lists the block's proposals as "award: unit, unit", in order.
func proposed(b *Block) []string {
	var out []string
	for _, p := range b.Registration.Proposals {
		out = append(out, p.Award+": "+strings.Join(p.UnitIDs, ", "))
	}
	return out
}

// Managers record the units the block proposes for each award: sending an
// award again (whatever its case and diacritics) replaces its units and
// keeps its name as first written, sending it with no
// unit removes it, and every change is in the history with the units
// before and after.
func TestProposeAward(t *testing.T) {
	b := scoring(t)
	p, err := b.ProposeAward(minh, "  Cờ thi đua   của UBND tỉnh ", []string{"u3", "u6"}, t0)
	must(t, err)
	if p.Award != "Cờ thi đua của UBND tỉnh" || !slices.Equal(p.UnitIDs, []string{"u3", "u6"}) || p.By.UserID != minh.UserID {
		t.Fatalf("proposal %+v", p)
	}
	_, err = b.ProposeAward(admin, "Cờ thi đua của Chính phủ", []string{"u1"}, t0)
	must(t, err)
	_, err = b.ProposeAward(admin, "co thi dua cua ubnd tinh", []string{"u6", "u5"}, t0)
	must(t, err)
	if got := proposed(b); !slices.Equal(got, []string{"Cờ thi đua của UBND tỉnh: u6, u5", "Cờ thi đua của Chính phủ: u1"}) {
		t.Fatalf("proposals %q", got)
	}
	if b.ProposalOf("u5") != "Cờ thi đua của UBND tỉnh" || b.ProposalOf("u3") != "" {
		t.Fatalf("u5 for %q, u3 for %q", b.ProposalOf("u5"), b.ProposalOf("u3"))
	}
	p, err = b.ProposeAward(admin, "Cờ thi đua của Chính phủ", nil, t0)
	must(t, err)
	if len(p.UnitIDs) != 0 || !slices.Equal(proposed(b), []string{"Cờ thi đua của UBND tỉnh: u6, u5"}) {
		t.Fatalf("after the removal: %+v, %q", p, proposed(b))
	}
	ev := b.TakeEvents()
	var got []string
	for _, e := range ev {
		got = append(got, e.Action+" «"+e.Before+"» → «"+e.After+"»")
	}
	if want := []string{
		"award.propose «» → «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Tỉnh Đoàn»",
		"award.propose «» → «Cờ thi đua của Chính phủ: Ủy ban MTTQ Việt Nam tỉnh»",
		"award.propose «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Tỉnh Đoàn» → «Cờ thi đua của UBND tỉnh: Tỉnh Đoàn, Hội Liên hiệp Phụ nữ tỉnh»",
		"award.remove «Cờ thi đua của Chính phủ: Ủy ban MTTQ Việt Nam tỉnh» → «»",
	}; !slices.Equal(got, want) {
		t.Fatalf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same units again, in the same order, change nothing: the
	// proposal keeps who recorded it, and nothing is recorded.
	p, err = b.ProposeAward(minh, "CỜ THI ĐUA CỦA UBND TỈNH", []string{"u6", "u5"}, t0.Add(time.Hour))
	if !errors.Is(err, ErrUnchanged) || p.By.UserID != admin.UserID || !p.By.At.Equal(t0) || len(b.TakeEvents()) != 0 {
		t.Fatalf("the same units again: %v, %+v", err, p)
	}
}

// A proposal that cannot be is refused and changes nothing: by a member,
// with a bad name, an unknown unit, a unit named twice or one proposed for
// another award, or the removal of an award not proposed.
func TestProposeAwardRefused(t *testing.T) {
	b := scoring(t)
	_, err := b.ProposeAward(minh, "Bằng khen của UBND tỉnh", []string{"u7", "u2"}, t0)
	must(t, err)
	b.TakeEvents()
	before := proposed(b)
	for _, tc := range []struct {
		name  string
		a     Actor
		award string
		units []string
		want  error
		unit  string // the unit an AwardUnitError names
		other string // the award it names
	}{
		{"a member", lan, "Cờ thi đua của Chính phủ", []string{"u3"}, ErrForbidden, "", ""},
		{"no name", admin, "  ", []string{"u3"}, ErrAwardName, "", ""},
		{"a name too long", admin, strings.Repeat("ờ", MaxAwardLen+1), []string{"u3"}, ErrAwardName, "", ""},
		{"a control character", admin, "Cờ\x00", []string{"u3"}, ErrAwardName, "", ""},
		{"no letter", admin, "-5", []string{"u3"}, ErrAwardName, "", ""},
		{"an unknown unit", admin, "Cờ thi đua của Chính phủ", []string{"u3", "u99"}, ErrUnitNotFound, "", ""},
		{"a unit twice", admin, "Cờ thi đua của Chính phủ", []string{"u3", "u1", "u3"}, ErrAwardUnitTwice, "u3", ""},
		{"a unit proposed for another award", admin, "Cờ thi đua của Chính phủ", []string{"u3", "u2"}, ErrAwardTaken, "u2", "Bằng khen của UBND tỉnh"},
		{"removing an award not proposed", admin, "Cờ thi đua của Chính phủ", nil, ErrAwardNotFound, "", ""},
	} {
		_, err := b.ProposeAward(tc.a, tc.award, tc.units, t0)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if ue := (*AwardUnitError)(nil); errors.As(err, &ue) != (tc.unit != "") || tc.unit != "" && (ue.UnitID != tc.unit || ue.Award != tc.other) {
			t.Errorf("%s: %#v, want the unit %q and the award %q", tc.name, err, tc.unit, tc.other)
		}
		if got := proposed(b); !slices.Equal(got, before) || len(b.TakeEvents()) != 0 {
			t.Errorf("%s changed the proposals: %q", tc.name, got)
		}
	}
	// Within its own award a unit may stay, and move in the order.
	_, err = b.ProposeAward(admin, "BẰNG KHEN của UBND tỉnh", []string{"u2", "u7", "u4"}, t0)
	must(t, err)
	if got := proposed(b); !slices.Equal(got, []string{"Bằng khen của UBND tỉnh: u2, u7, u4"}) {
		t.Fatalf("proposals %q", got)
	}
}

// A unit removed from the block leaves its proposal, and an award left
// without units goes.
func TestRemovedUnitLeavesItsProposal(t *testing.T) {
	b := scoring(t)
	_, err := b.ProposeAward(admin, "Cờ thi đua của Chính phủ", []string{"u6"}, t0)
	must(t, err)
	_, err = b.ProposeAward(admin, "Bằng khen của UBND tỉnh", []string{"u2", "u7"}, t0)
	must(t, err)
	_, _, err = b.RemoveUnit(admin, "Hội Chữ thập đỏ tỉnh", t0)
	must(t, err)
	_, _, err = b.RemoveUnit(admin, "Tỉnh Đoàn", t0)
	must(t, err)
	if got := proposed(b); !slices.Equal(got, []string{"Bằng khen của UBND tỉnh: u2"}) {
		t.Fatalf("proposals %q", got)
	}
}

// The ranking gives each unit the block has agreed on every criterion its
// place by its agreed total, equal totals sharing one, and the others none.
func TestRanks(t *testing.T) {
	b := scoring(t)
	for unit, lines := range map[string][]string{
		"u1": {"1 10", "2 10", "3 10"}, "u3": {"1 20", "2 30", "3 40"}, "u6": {"1 20", "2 30", "3 40"}, "u7": {"1 5", "2 5", "3 5"},
	} {
		_, err := b.ReviewScore(admin, unit, scoreLines(t, lines...), t0)
		must(t, err)
	}
	var got []string
	for _, st := range b.Ranking() {
		got = append(got, st.UnitID+":"+FormatNumber(float64(st.Rank)))
	}
	if want := []string{"u3:1", "u6:1", "u1:3", "u7:4", "u2:0", "u4:0", "u5:0"}; !slices.Equal(got, want) {
		t.Fatalf("ranks %v, want %v", got, want)
	}
}
