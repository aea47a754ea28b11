package thidua

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// A nomination line is a full name, a position, an achievement if any, and
// a leadership mark if any; the position decides without a mark.
func TestParseExemplarLine(t *testing.T) {
	for in, want := range map[string]ExemplarLine{
		"Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ": {
			Name: "Nguyễn Thị Hoa", Position: "Chuyên viên Ban Phong trào", Achievement: "Hoàn thành xuất sắc công tác vận động quỹ"},
		"Trần Văn Nam | Phó Chủ tịch Hội":                             {Name: "Trần Văn Nam", Position: "Phó Chủ tịch Hội", Leader: true},
		"  Trần   Văn Nam |  Phó Chủ tịch Hội  |  ":                   {Name: "Trần Văn Nam", Position: "Phó Chủ tịch Hội", Leader: true},
		"Trần Văn Nam | Phó Chủ tịch Hội | Chỉ đạo sản xuất | |":      {Name: "Trần Văn Nam", Position: "Phó Chủ tịch Hội", Achievement: "Chỉ đạo sản xuất", Leader: true},
		"Trần Văn Nam | Phó Chủ tịch Hội | không lãnh đạo |":          {Name: "Trần Văn Nam", Position: "Phó Chủ tịch Hội", Marked: true},
		"Lê Thị Mai | Chuyên viên | lãnh đạo":                         {Name: "Lê Thị Mai", Position: "Chuyên viên", Leader: true, Marked: true},
		"Lê Thị Mai | Chủ tịch Hội cơ sở | Không lãnh đạo":            {Name: "Lê Thị Mai", Position: "Chủ tịch Hội cơ sở", Marked: true},
		"Lê Thị Mai | Chủ tịch Hội cơ sở | | khong lanh dao, quan ly": {Name: "Lê Thị Mai", Position: "Chủ tịch Hội cơ sở", Marked: true},
		"Lê Thị Mai | Chuyên viên | Vận động quỹ | LÃNH ĐẠO, QUẢN LÝ": {Name: "Lê Thị Mai", Position: "Chuyên viên", Achievement: "Vận động quỹ", Leader: true, Marked: true},
		"Lê Thị Mai | Chuyên viên | Vận động quỹ | giữ chức vụ lãnh đạo, quản lý": {
			Name: "Lê Thị Mai", Position: "Chuyên viên", Achievement: "Vận động quỹ", Leader: true, Marked: true},
		"Lê Thị Mai | Chuyên viên | Vận động quỹ | không giữ chức vụ lãnh đạo, quản lý": {
			Name: "Lê Thị Mai", Position: "Chuyên viên", Achievement: "Vận động quỹ", Marked: true},
		"John Smith | Director | leader":                          {Name: "John Smith", Position: "Director", Leader: true, Marked: true},
		"John Smith | Giám đốc | non-leader":                      {Name: "John Smith", Position: "Giám đốc", Marked: true},
		"John Smith | Giám đốc | not leader":                      {Name: "John Smith", Position: "Giám đốc", Marked: true},
		"Nguyễn T. Hoa | Hội viên":                                {Name: "Nguyễn T. Hoa", Position: "Hội viên"},
		"H'Hen Niê | Đoàn viên":                                   {Name: "H'Hen Niê", Position: "Đoàn viên"},
		"- Nguyễn Văn An | Nông dân":                              {Name: "Nguyễn Văn An", Position: "Nông dân"},
		"• Nguyễn Văn An | Nông dân":                              {Name: "Nguyễn Văn An", Position: "Nông dân"},
		"– Nguyễn Văn An | Nông dân":                              {Name: "Nguyễn Văn An", Position: "Nông dân"},
		"3. Nguyễn Văn An | Nông dân":                             {Name: "Nguyễn Văn An", Position: "Nông dân"},
		"12) Nguyễn Văn An | Nông dân":                            {Name: "Nguyễn Văn An", Position: "Nông dân"},
		"Vũ Thị Lan | Chuyên viên | lãnh đạo xuất sắc phong trào": {Name: "Vũ Thị Lan", Position: "Chuyên viên", Achievement: "lãnh đạo xuất sắc phong trào"},
		// A mark typed as the achievement's end is part of the achievement.
		"Vũ Thị Lan | Chuyên viên | Vận động quỹ, lãnh đạo": {Name: "Vũ Thị Lan", Position: "Chuyên viên", Achievement: "Vận động quỹ, lãnh đạo"},
	} {
		got, err := ParseExemplarLine(in)
		if err != nil || got != want {
			t.Errorf("ParseExemplarLine(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	long := strings.Repeat("ư", MaxExemplarNameLen)
	if l, err := ParseExemplarLine(long + " | Hội viên"); err != nil || l.Name != long {
		t.Errorf("a name of %d letters: %+v, %v", MaxExemplarNameLen, l, err)
	}
	for in, want := range map[string]error{
		"":                           ErrExemplarName,
		"| Chuyên viên":              ErrExemplarName,
		"Nguyễn Văn 3 | Chuyên viên": ErrExemplarName,
		"-5 | -3":                    ErrExemplarName,
		"<b>x</b> | Chuyên viên":     ErrExemplarName,
		"١٢ | ٥":                     ErrExemplarName,
		"-Nguyễn Văn An | Nông dân":  ErrExemplarName,
		long + "ư | Hội viên":        ErrExemplarName,
		"Nguyễn Thị Hoa":             ErrExemplarPosition,
		"Nguyễn Thị Hoa |":           ErrExemplarPosition,
		"Nguyễn Thị Hoa |  | Vận động quỹ":                                           ErrExemplarPosition,
		"Nguyễn Thị Hoa | 123":                                                       ErrExemplarPosition,
		"Nguyễn Thị Hoa | lãnh đạo":                                                  ErrExemplarPosition,
		"Nguyễn Thị Hoa | không lãnh đạo":                                            ErrExemplarPosition,
		"Nguyễn Thị Hoa | " + strings.Repeat("ư", MaxPositionLen+1):                  ErrExemplarPosition,
		"Nguyễn Thị Hoa | Chuyên viên | " + strings.Repeat("ư", MaxAchievementLen+1): ErrExemplarAchievement,
		"Nguyễn Thị Hoa | Chuyên viên | a\x00b":                                      ErrExemplarAchievement,
		"Nguyễn Thị Hoa | Chuyên viên | Vận động quỹ | Xuất sắc":                     ErrExemplarFields,
		"Nguyễn Thị Hoa | Chuyên viên | Vận động quỹ | Xuất sắc | lãnh đạo":          ErrExemplarFields,
		"Nguyễn Thị Hoa | Chuyên viên | lãnh đạo | lãnh đạo":                         ErrExemplarFields,
	} {
		if got, err := ParseExemplarLine(in); !errors.Is(err, want) {
			t.Errorf("ParseExemplarLine(%q) = %+v, %v; want %v", in, got, err, want)
		}
	}
}

// The position decides whether a person holds a leadership or management
// post by its titles' usual words, whatever the case and diacritics.
func TestIsLeaderPosition(t *testing.T) {
	leaders := []string{
		"Chủ tịch", "Phó Chủ tịch Hội", "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "pho chu tich hoi nong dan tinh", "Bí thư Tỉnh Đoàn",
		"Phó Bí thư Tỉnh Đoàn", "Trưởng ban Tuyên giáo", "Phó Trưởng Ban Phong trào", "Phó Ban Phong trào", "Trưởng phòng Tổ chức",
		"Phó Trưởng phòng", "Phó phòng Kế hoạch", "Chánh Văn phòng", "Phó Chánh Văn phòng", "Phó Văn phòng", "Chánh Thanh tra",
		"Giám đốc Trung tâm", "Phó Giám đốc", "Tổng Giám đốc", "Phó Tổng Giám đốc", "Quyền Trưởng phòng", "Thường trực Hội",
		"Ủy viên Ban Thường vụ", "Uỷ viên Thường vụ Tỉnh Đoàn", "Ủy viên Thường trực", "Chủ nhiệm Ủy ban Kiểm tra",
		"Tổng Biên tập", "Phó Tổng Biên tập", "Tổng Thư ký", "Hiệu trưởng", "Phó Hiệu trưởng", "Cục trưởng", "Vụ trưởng",
		"Viện trưởng", "Chi cục trưởng", "Thủ trưởng cơ quan", "Trưởng khoa Nội", "Trưởng trạm", "Trưởng Văn phòng đại diện",
		"Tỉnh ủy viên, Bí thư Tỉnh Đoàn", "Chuyên viên, Phó Bí thư Chi bộ", "Chuyên viên kiêm Chủ tịch Công đoàn cơ sở",
		"Phó Giáo sư, Giám đốc Bệnh viện", "Ủy viên Ban Thường vụ; Trưởng Ban Tổ chức", "Cán bộ / Phó Trưởng ban",
		"Kế toán - Chủ tịch Công đoàn",
	}
	for _, p := range leaders {
		if !IsLeaderPosition(p) {
			t.Errorf("%q does not read as a leadership post", p)
		}
	}
	others := []string{
		"", "Chuyên viên", "Chuyên viên Ban Phong trào", "Chuyên viên Văn phòng", "Cán bộ Phòng Tổ chức", "Hội viên",
		"Nông dân sản xuất kinh doanh giỏi", "Đoàn viên", "Giáo viên, Trường THPT số 1", "Giáo viên Trường Tiểu học",
		"Trợ lý Chủ tịch", "Chuyên viên giúp việc Thường trực", "Nguyên Chủ tịch Hội", "Ủy viên Ban Chấp hành",
		"Phó Giáo sư", "Kế toán trưởng", "Thư ký", "Văn thư", "Lái xe", "Nhân viên", "Công nhân", "Phó", "Trưởng",
		"Tổng", "kiêm", "Ban Tuyên giáo", "Phòng Tổ chức", "Văn phòng Hội",
	}
	for _, p := range others {
		if IsLeaderPosition(p) {
			t.Errorf("%q reads as a leadership post", p)
		}
	}
}

// A post heading or deputising an organisation below the commune is no
// leadership or management post at the unit, but its reading is
// uncertain; the same words elsewhere in a title («Trưởng ban Tổ chức»,
// «xã Bản Lầu», a member of a branch) make none.
func TestIsGrassRootsPost(t *testing.T) {
	grass := []string{
		"Bí thư Chi đoàn", "Phó Bí thư Chi đoàn thôn Nà Lang", "Trưởng thôn Bản Phố", "Phó trưởng thôn", "Thôn trưởng",
		"Trưởng bản Nậm Cang", "Phó trưởng bản", "Tổ trưởng tổ phụ nữ", "Tổ phó tổ hòa giải", "Chi hội trưởng Chi hội CCB thôn Làng Mới",
		"Chi hội phó", "Trưởng phân hội", "Trưởng xóm", "Trưởng ấp", "Trưởng khu dân cư", "Trưởng khu phố", "Tổ trưởng tổ dân phố",
		"Chủ tịch Chi hội Chữ thập đỏ", "TRUONG THON", "bi thu chi doan", "Hội viên kiêm Chi hội trưởng",
	}
	for _, p := range grass {
		if !IsGrassRootsPost(p) || IsLeaderPosition(p) {
			t.Errorf("%q: grass-roots %v, leader %v", p, IsGrassRootsPost(p), IsLeaderPosition(p))
		}
	}
	for _, p := range []string{
		"Trưởng ban Tổ chức", "Phó Trưởng phòng Tổ chức", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "Chủ tịch Hội Nông dân xã Bản Lầu",
		"Trưởng ban Tuyên giáo", "Truong ban", "Phó Chủ tịch Hội kiêm Chi hội trưởng", "Phó Chủ tịch Hội, Bí thư Chi đoàn",
		"Hội viên Chi hội thôn Nà Lang", "Đoàn viên Chi đoàn", "Giáo viên Trường tiểu học thôn Nà Lang", "Chuyên viên", "",
		"Kế toán trưởng", "Chủ tịch UBND thành phố",
	} {
		if IsGrassRootsPost(p) {
			t.Errorf("%q reads as a grass-roots post", p)
		}
	}
}

// «Trường», a school, and «phố», a street, fold as «trưởng» and «phó» do,
// and «Tô», a name, as «tổ», a team: a school or a street named after
// someone («Trường Tô Hiệu», «phố Tô Hiệu») heads no grass-roots
// organisation, and a leader's title before it stays one.
func TestGrassRootsWordsAreReadWithTheirDiacritics(t *testing.T) {
	for _, p := range []string{
		"Hiệu trưởng Trường Tô Hiệu", "Phó Hiệu trưởng Trường Tô Vĩnh Diện", "Chủ tịch Hội đồng trường Tô Hiệu",
		"Giám đốc Chi nhánh phố Tô Hiệu", "Hiệu trưởng trường Thôn Mới",
	} {
		if IsGrassRootsPost(p) || !IsLeaderPosition(p) {
			t.Errorf("%q: grass-roots %v, leader %v", p, IsGrassRootsPost(p), IsLeaderPosition(p))
		}
	}
	for _, p := range []string{"Giáo viên Trường Tô Hiệu", "Nhân viên, phố Tô Hiệu", "Trưởng Tô"} {
		if IsGrassRootsPost(p) || IsLeaderPosition(p) {
			t.Errorf("%q: grass-roots %v, leader %v", p, IsGrassRootsPost(p), IsLeaderPosition(p))
		}
	}
	// Without diacritics the words are read as typed.
	for _, p := range []string{"To truong to dan pho", "Pho truong thon", "Bi thu chi doan"} {
		if !IsGrassRootsPost(p) {
			t.Errorf("%q does not read as a grass-roots post", p)
		}
	}
}

// exemplarLines parses nomination lines.
func exemplarLines(t *testing.T, ss ...string) []ExemplarLine {
	t.Helper()
	out := make([]ExemplarLine, len(ss))
	for i, s := range ss {
		l, err := ParseExemplarLine(s)
		if err != nil {
			t.Fatalf("ParseExemplarLine(%q): %v", s, err)
		}
		out[i] = l
	}
	return out
}

// nominees lists a unit's nominees as "name (leader)" or "name", in
// order.
func nominees(b *Block, unitID string) []string {
	var out []string
	for _, e := range b.ExemplarsOf(unitID) {
		s := e.Name
		if e.Leader {
			s += " (leader)"
		}
		out = append(out, s)
	}
	return out
}

// eventsOf writes the events as "action subject «before» → «after»".
func eventsOf(b *Block) []string {
	var out []string
	for _, e := range b.TakeEvents() {
		out = append(out, e.Action+" "+e.Subject+" «"+e.Before+"» → «"+e.After+"»")
	}
	return out
}

// A unit's representatives nominate its people, managers any unit's: the
// same name again updates the person, keeping their number and, typed
// without diacritics, the diacritics of their name; a name with other
// diacritics is another person; every change is in the history as the
// line.
func TestNominate(t *testing.T) {
	b := openLaoCai(t)
	got, err := b.Nominate(lan, "u3", exemplarLines(t,
		"Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ",
		"Trần Văn Nam | Phó Chủ tịch Hội"), t0)
	must(t, err)
	if len(got) != 2 || got[0].No != 1 || got[1].No != 2 || got[0].Updated || got[0].Leader || !got[1].Leader || got[1].By.UserID != lan.UserID {
		t.Fatalf("nominated %+v", got)
	}
	_, err = b.Nominate(minh, "u1", exemplarLines(t, "Lê Văn Bình | Chủ tịch Ủy ban MTTQ"), t0)
	must(t, err)
	got, err = b.Nominate(admin, "u3", exemplarLines(t,
		"Vũ Thị Lan | Hội viên",
		"tran van nam | Phó Chủ tịch Hội | Chỉ đạo phong trào | không lãnh đạo",
		"Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ"), t0)
	must(t, err)
	if got[0].No != 3 || got[0].Updated || got[1].No != 2 || !got[1].Updated || got[1].Unchanged || got[1].Name != "Trần Văn Nam" ||
		got[1].Leader || !got[1].Marked || got[1].Achievement != "Chỉ đạo phong trào" || got[2].No != 1 || !got[2].Unchanged {
		t.Fatalf("updated %+v", got)
	}
	if n := nominees(b, "u3"); !slices.Equal(n, []string{"Nguyễn Thị Hoa", "Trần Văn Nam", "Vũ Thị Lan"}) {
		t.Fatalf("u3's nominees %q", n)
	}
	// Typed without diacritics, the name finds the person and keeps
	// theirs; typed with other diacritics, it is another person («Lân»
	// is not «Lan»).
	_, err = b.Nominate(lan, "u3", exemplarLines(t, "Vu Thi Lan | Hội viên | Vận động quỹ"), t0)
	must(t, err)
	_, err = b.Nominate(lan, "u3", exemplarLines(t, "Vũ Thị Lân | Hội viên"), t0)
	must(t, err)
	if n := nominees(b, "u3"); !slices.Equal(n, []string{"Nguyễn Thị Hoa", "Trần Văn Nam", "Vũ Thị Lan", "Vũ Thị Lân"}) {
		t.Fatalf("u3's nominees %q", n)
	}
	if tally := b.ExemplarTally(); tally != (ExemplarTally{Total: 5, NonLeaders: 4}) {
		t.Fatalf("tally %+v", tally)
	}
	want := []string{
		"exemplar.add u3 «» → «Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ | không lãnh đạo»",
		"exemplar.add u3 «» → «Trần Văn Nam | Phó Chủ tịch Hội | lãnh đạo»",
		"exemplar.add u1 «» → «Lê Văn Bình | Chủ tịch Ủy ban MTTQ | lãnh đạo»",
		"exemplar.add u3 «» → «Vũ Thị Lan | Hội viên | không lãnh đạo»",
		"exemplar.update u3 «Trần Văn Nam | Phó Chủ tịch Hội | lãnh đạo» → «Trần Văn Nam | Phó Chủ tịch Hội | Chỉ đạo phong trào | không lãnh đạo»",
		"exemplar.update u3 «Vũ Thị Lan | Hội viên | không lãnh đạo» → «Vũ Thị Lan | Hội viên | Vận động quỹ | không lãnh đạo»",
		"exemplar.add u3 «» → «Vũ Thị Lân | Hội viên | không lãnh đạo»",
	}
	if got := eventsOf(b); !slices.Equal(got, want) {
		t.Fatalf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Refused, with nothing changed.
	version := len(b.Registration.Exemplars)
	for _, c := range []struct {
		a      Actor
		unitID string
		lines  []ExemplarLine
		want   error
	}{
		{lan, "u1", exemplarLines(t, "Lê Văn Cường | Hội viên"), ErrNotYourExemplar},
		{Actor{UserID: 99, Name: "Hoa"}, "u3", exemplarLines(t, "Lê Văn Cường | Hội viên"), ErrNotYourExemplar},
		{lan, "u99", exemplarLines(t, "Lê Văn Cường | Hội viên"), ErrUnitNotFound},
		{lan, "u3", nil, ErrExemplarNone},
		{lan, "u3", exemplarLines(t, "Lê Văn Cường | Hội viên", "le van cuong | Nông dân"), ErrExemplarTwice},
		{lan, "u3", []ExemplarLine{{Name: "Lê Văn Cường", Position: " Hội  viên "}}, ErrExemplarPosition},
		{lan, "u3", []ExemplarLine{{Name: "Lê Văn Cường", Position: "không lãnh đạo"}}, ErrExemplarPosition},
		{lan, "u3", []ExemplarLine{{Name: "Lê 3", Position: "Hội viên"}}, ErrExemplarName},
		{lan, "u3", []ExemplarLine{{Name: "Lê Văn", Position: "Hội viên", Achievement: "\x00"}}, ErrExemplarAchievement},
	} {
		if _, err := b.Nominate(c.a, c.unitID, c.lines, t0); !errors.Is(err, c.want) {
			t.Errorf("%s nominating for %s: %v, want %v", c.a.Name, c.unitID, err, c.want)
		}
	}
	var le *LineError
	if _, err := b.Nominate(lan, "u3", exemplarLines(t, "Lê Văn Cường | Hội viên", "Nông Văn Dũng | Hội viên", "LÊ VĂN CƯỜNG | Nông dân"), t0); !errors.As(err, &le) || le.Line != 3 {
		t.Fatalf("the line named twice: %v", err)
	}
	if len(b.Registration.Exemplars) != version || len(b.TakeEvents()) != 0 {
		t.Fatal("a refused nomination changed the block")
	}
}

// A unit nominates at most MaxExemplars people; updating them is not
// counted as more.
func TestNominateAtMost(t *testing.T) {
	b := openLaoCai(t)
	var lines []ExemplarLine
	for i := range MaxExemplars {
		lines = append(lines, ExemplarLine{Name: "Người " + strings.Repeat("a", i+1), Position: "Hội viên"})
	}
	_, err := b.Nominate(lan, "u3", lines, t0)
	must(t, err)
	if _, err := b.Nominate(lan, "u3", lines[:3], t0); err != nil {
		t.Fatalf("updating at the most: %v", err)
	}
	if _, err := b.Nominate(lan, "u3", exemplarLines(t, "Người b | Hội viên"), t0); !errors.Is(err, ErrTooManyExemplars) {
		t.Fatalf("one more: %v", err)
	}
}

// A person is removed by their number in their unit's list, those after
// moving up; the unit's representatives and managers may, others not.
func TestRemoveExemplar(t *testing.T) {
	b := openLaoCai(t)
	_, err := b.Nominate(lan, "u3", exemplarLines(t, "Nguyễn Thị Hoa | Chuyên viên", "Trần Văn Nam | Phó Chủ tịch Hội", "Vũ Thị Lan | Hội viên"), t0)
	must(t, err)
	_, err = b.Nominate(minh, "u6", exemplarLines(t, "Đỗ Văn Hùng | Bí thư Chi đoàn"), t0)
	must(t, err)
	b.TakeEvents()
	for _, c := range []struct {
		a      Actor
		unitID string
		no     int
		want   error
	}{
		{lan, "u6", 1, ErrNotYourExemplar}, {lan, "u3", 4, ErrExemplarNotFound}, {lan, "u3", 0, ErrExemplarNotFound},
		{minh, "u2", 1, ErrExemplarNotFound}, {lan, "u99", 1, ErrUnitNotFound},
	} {
		if _, err := b.RemoveExemplar(c.a, c.unitID, c.no, t0); !errors.Is(err, c.want) {
			t.Errorf("%s removing %s's %d: %v, want %v", c.a.Name, c.unitID, c.no, err, c.want)
		}
	}
	gone, err := b.RemoveExemplar(minh, "u3", 2, t0)
	must(t, err)
	if gone.Name != "Trần Văn Nam" || !slices.Equal(nominees(b, "u3"), []string{"Nguyễn Thị Hoa", "Vũ Thị Lan"}) {
		t.Fatalf("removed %+v, left %q", gone, nominees(b, "u3"))
	}
	if _, err := b.RemoveExemplar(lan, "u3", 2, t0); err != nil {
		t.Fatal(err)
	}
	if got, want := eventsOf(b), []string{
		"exemplar.remove u3 «Trần Văn Nam | Phó Chủ tịch Hội | lãnh đạo» → «»",
		"exemplar.remove u3 «Vũ Thị Lan | Hội viên | không lãnh đạo» → «»",
	}; !slices.Equal(got, want) {
		t.Fatalf("events %q", got)
	}
}

// A unit removed from the block takes its nominees with it, recorded
// before its removal.
func TestRemovedUnitTakesItsExemplars(t *testing.T) {
	b := openLaoCai(t)
	_, err := b.Nominate(lan, "u3", exemplarLines(t, "Nguyễn Thị Hoa | Chuyên viên", "Trần Văn Nam | Phó Chủ tịch Hội"), t0)
	must(t, err)
	_, err = b.Nominate(minh, "u6", exemplarLines(t, "Đỗ Văn Hùng | Bí thư Chi đoàn"), t0)
	must(t, err)
	b.TakeEvents()
	_, _, err = b.RemoveUnit(admin, "Hội Nông dân tỉnh", t0)
	must(t, err)
	if n := len(b.Registration.Exemplars); n != 1 || b.Registration.Exemplars[0].UnitID != "u6" {
		t.Fatalf("left %+v", b.Registration.Exemplars)
	}
	got := eventsOf(b)
	if len(got) < 3 || got[0] != "exemplar.remove u3 «Nguyễn Thị Hoa | Chuyên viên | không lãnh đạo» → «»" ||
		got[1] != "exemplar.remove u3 «Trần Văn Nam | Phó Chủ tịch Hội | lãnh đạo» → «»" || !strings.HasPrefix(got[len(got)-1], "unit.remove u3") {
		t.Fatalf("events %q", got)
	}
}

// The nominations belong to the year: the turn starts the next without
// them.
func TestExemplarsCloseWithTheYear(t *testing.T) {
	b := openLaoCai(t)
	_, err := b.Nominate(lan, "u3", exemplarLines(t, "Nguyễn Thị Hoa | Chuyên viên"), t0)
	must(t, err)
	if _, err := b.StartYear(admin, time.Date(2026, 12, 1, 9, 0, 0, 0, ict)); err != nil {
		t.Fatal(err)
	}
	if len(b.Registration.Exemplars) != 0 {
		t.Fatalf("the nominations of 2026 stayed: %+v", b.Registration.Exemplars)
	}
}

// The tally tells the share of people holding no leadership or management
// post against the 40% aim, how many more it would take, and a percentage
// that never reads as the aim when short of it.
func TestExemplarTally(t *testing.T) {
	for _, c := range []struct {
		tally          ExemplarTally
		reached        bool
		short, percent int
	}{
		{ExemplarTally{}, false, 0, 0},
		{ExemplarTally{Total: 28, NonLeaders: 12}, true, 0, 43},
		{ExemplarTally{Total: 28, NonLeaders: 10}, false, 2, 36},
		{ExemplarTally{Total: 5, NonLeaders: 2}, true, 0, 40},
		{ExemplarTally{Total: 5, NonLeaders: 1}, false, 2, 20},
		{ExemplarTally{Total: 1, NonLeaders: 0}, false, 1, 0},
		{ExemplarTally{Total: 3, NonLeaders: 3}, true, 0, 100},
		{ExemplarTally{Total: 200, NonLeaders: 79}, false, 2, 39},
		{ExemplarTally{Total: 1000, NonLeaders: 399}, false, 2, 39},
	} {
		if r, s, p := c.tally.AimReached(), c.tally.Short(), c.tally.Percent(); r != c.reached || s != c.short || p != c.percent {
			t.Errorf("%+v: reached %v, short %d, %d%%; want %v, %d, %d%%", c.tally, r, s, p, c.reached, c.short, c.percent)
		}
		// Short is the fewest that reach the aim.
		if k := c.tally.Short(); k > 0 {
			more := ExemplarTally{Total: c.tally.Total + k, NonLeaders: c.tally.NonLeaders + k}
			less := ExemplarTally{Total: c.tally.Total + k - 1, NonLeaders: c.tally.NonLeaders + k - 1}
			if !more.AimReached() || less.AimReached() {
				t.Errorf("%+v: %d more is not the fewest that reach the aim", c.tally, k)
			}
		}
	}
}

// Two full names name one person when their letters agree whatever their
// case, or once folded when one is written without diacritics; diacritics
// written in both tell names apart.
func TestSameName(t *testing.T) {
	for _, c := range []struct {
		x, y string
		same bool
	}{
		{"Nguyễn Thị Thu", "Nguyễn Thị Thu", true},
		{"Nguyễn Thị Thu", "nguyễn thị thu", true},
		{"nguyen thi thu", "Nguyễn Thị Thư", true},
		{"Nguyễn Thị Thu", "Nguyen Thi Thu", true},
		{"Nguyễn Thị Thu", "Nguyễn Thị Thư", false},
		{"Trần Thị Hoa", "Trần Thị Hòa", false},
		{"Lê Văn Lan", "Lê Văn Lân", false},
	} {
		if got := sameName(c.x, c.y); got != c.same {
			t.Errorf("sameName(%q, %q) = %v", c.x, c.y, got)
		}
	}
}
