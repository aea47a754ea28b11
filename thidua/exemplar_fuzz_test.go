package thidua

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseExemplarLine checks that any nomination line is either refused
// with one of the nomination errors or read as a person's clean name,
// position and achievement, with a leadership mark or the position's
// reading (never both a leadership post and an uncertain grass-roots one),
// and that the person written back as the history writes them
// (exemplarRecord, the mark written out) reads the same, marked.
func FuzzParseExemplarLine(f *testing.F) {
	for _, s := range []string{
		"Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ", "Trần Văn Nam | Phó Chủ tịch Hội",
		"Lê Thị Mai | Chuyên viên | lãnh đạo", "Lê Thị Mai | Chủ tịch | | không lãnh đạo, quản lý", "a | b | c | d", "a | b | c | d | e",
		"Nguyễn Thị Hoa", "| x", "x |", "- Nguyễn Văn An | Nông dân", "3. An | x", "H'Hen Niê | Đoàn viên", "An | lãnh đạo",
		"An | x | lãnh đạo | lãnh đạo", "An | x | non-leader", "An\x00 | x", "An | x | a\x00b", "١٢ | ٥", "<b>An</b> | <i>x</i>",
		"Bùi Thị Hà | Bí thư Chi đoàn", "An | Trưởng bản Nậm Cang", "An | Chi hội trưởng kiêm Phó Chủ tịch Hội", "An | Trưởng ban Tổ chức",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // what Telegram delivers is UTF-8
		}
		l, err := ParseExemplarLine(s)
		if err != nil {
			oneOf(t, "ParseExemplarLine("+s+")", err, ErrExemplarName, ErrExemplarPosition, ErrExemplarAchievement, ErrExemplarFields)
			return
		}
		clean(t, "name", l.Name, MaxExemplarNameLen)
		clean(t, "position", l.Position, MaxPositionLen)
		if l.Achievement != "" {
			clean(t, "achievement", l.Achievement, MaxAchievementLen)
		}
		if err := l.check(); err != nil || !l.Marked && l.Leader != IsLeaderPosition(l.Position) || IsGrassRootsPost(l.Position) && IsLeaderPosition(l.Position) {
			t.Fatalf("ParseExemplarLine(%q) = %+v (%v)", s, l, err)
		}
		e := Exemplar{Name: l.Name, Position: l.Position, Achievement: l.Achievement, Leader: l.Leader}
		again, err := ParseExemplarLine(exemplarRecord(e))
		if want := (ExemplarLine{Name: l.Name, Position: l.Position, Achievement: l.Achievement, Leader: l.Leader, Marked: true}); err != nil || again != want {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, l, exemplarRecord(e), again, err)
		}
	})
}
