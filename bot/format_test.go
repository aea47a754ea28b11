package bot

import (
	"strings"
	"testing"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// tokenize cuts s into tags, entities and characters with the package's
// tokenizer.
func tokenize(s string) []token {
	var toks []token
	for len(s) > 0 {
		t := nextToken(s)
		toks = append(toks, t)
		s = s[len(t.raw):]
	}
	return toks
}

// textTokens returns the text tokens of s (characters and entities, as
// written), leaving out tags and, if dropSpace, white space.
func textTokens(s string, dropSpace bool) []string {
	var out []string
	for _, t := range tokenize(s) {
		if t.kind == textToken && !(dropSpace && unicode.IsSpace(t.r)) {
			out = append(out, t.raw)
		}
	}
	return out
}

// shallow is the deepest nesting of tags under which Split always keeps a
// chunk within MaxEntities: the tags it reopens, and the first token it
// must take after them, make fewer.
const shallow = 8

// depth returns how deep the tags of s nest at most.
func depth(s string) int {
	deepest := 0
	var open []tag
	for _, tok := range tokenize(s) {
		open = tok.apply(open)
		deepest = max(deepest, len(open))
	}
	return deepest
}

// checkSplit checks Split's invariants on text and returns the chunks.
func checkSplit(t *testing.T, text string, limit int) []string {
	t.Helper()
	chunks := Split(text, limit)
	for i, c := range chunks {
		if w := textWidth(c); w > max(limit, 2) {
			t.Errorf("chunk %d measures %d > %d: %q", i, w, limit, c)
		}
		if n := Entities(c); n > MaxEntities && depth(text) <= shallow {
			t.Errorf("chunk %d makes %d entities: %q", i, n, c)
		}
		var open []tag
		for _, tok := range tokenize(c) {
			open = tok.apply(open)
		}
		if len(open) > 0 {
			t.Errorf("chunk %d leaves tags open: %q", i, c)
		}
		if strings.TrimSpace(strings.Join(textTokens(c, false), "")) == "" {
			t.Errorf("chunk %d has no visible text: %q", i, c)
		}
	}
	// Every character and entity survives, in order and unbroken (chunks of
	// nothing but white space are left out, so compare without it).
	var tokens []string
	for _, c := range chunks {
		tokens = append(tokens, textTokens(c, true)...)
	}
	got := strings.Join(tokens, "\x00")
	want := strings.Join(textTokens(text, true), "\x00")
	if got != want {
		t.Errorf("text changed by Split:\n got %q\nwant %q", got, want)
	}
	return chunks
}

// reassemble joins chunks after removing what Split adds at their edges:
// the closing tags at the end of each chunk but the last and the reopened
// tags at the start of each chunk but the first.
func reassemble(chunks []string, closers, openers []string) string {
	var b strings.Builder
	for i, c := range chunks {
		if i > 0 {
			c = strings.TrimPrefix(c, openers[i-1])
		}
		if i < len(chunks)-1 {
			c = strings.TrimSuffix(c, closers[i])
		}
		b.WriteString(c)
	}
	return b.String()
}

func TestSplitShortTextIsOneChunk(t *testing.T) {
	in := "<b>Xin chào</b> &amp; welcome"
	if got := Split(in, MaxMessageLen); len(got) != 1 || got[0] != in {
		t.Errorf("Split = %q", got)
	}
	if got := Split("", 10); got != nil {
		t.Errorf("Split of nothing = %q", got)
	}
	if got := Split(" \n\n ", 10); got != nil {
		t.Errorf("Split of white space = %q", got)
	}
}

func TestSplitAtLines(t *testing.T) {
	in := "line one\nline two\nline three\nline four"
	chunks := checkSplit(t, in, 20)
	// "line three\n" does not fit after the first two lines; the rest is
	// exactly 20 wide.
	want := []string{"line one\nline two\n", "line three\nline four"}
	if strings.Join(chunks, "|") != strings.Join(want, "|") {
		t.Errorf("chunks = %q, want %q", chunks, want)
	}
	if strings.Join(chunks, "") != in {
		t.Errorf("reassembly differs")
	}
}

func TestSplitLongLineAtSpacesWithTags(t *testing.T) {
	in := "<b>một hai ba bốn năm sáu bảy tám chín mười</b>"
	chunks := checkSplit(t, in, 12)
	if len(chunks) < 3 {
		t.Fatalf("chunks = %q", chunks)
	}
	for i, c := range chunks {
		if !strings.HasPrefix(c, "<b>") || !strings.HasSuffix(c, "</b>") {
			t.Errorf("chunk %d is not wrapped in <b>: %q", i, c)
		}
		inner := strings.TrimSuffix(strings.TrimPrefix(c, "<b>"), "</b>")
		if i < len(chunks)-1 && !strings.HasSuffix(inner, " ") {
			t.Errorf("chunk %d not split after a space: %q", i, c)
		}
	}
	closers := make([]string, len(chunks))
	openers := make([]string, len(chunks))
	for i := range chunks {
		closers[i], openers[i] = "</b>", "<b>"
	}
	if got := reassemble(chunks, closers, openers); got != in {
		t.Errorf("reassembled %q, want %q", got, in)
	}
}

func TestSplitReopensNestedTagsWithAttributes(t *testing.T) {
	in := `<a href="https://x.org/?a=1&amp;b=>">link <i>` + strings.Repeat("xy ", 10) + `</i></a> end`
	chunks := checkSplit(t, in, 10)
	if !strings.HasPrefix(chunks[1], `<a href="https://x.org/?a=1&amp;b=>"><i>`) {
		t.Errorf("second chunk does not reopen the tags: %q", chunks[1])
	}
	if !strings.HasSuffix(chunks[0], "</i></a>") {
		t.Errorf("first chunk does not close the tags: %q", chunks[0])
	}
}

func TestSplitNeverBreaksEntities(t *testing.T) {
	in := strings.Repeat("&lt;&amp;&#x1F600;&quot;", 20)
	chunks := checkSplit(t, in, 7)
	for _, c := range chunks {
		if strings.Count(c, "&") != strings.Count(c, ";") {
			t.Errorf("broken entity in %q", c)
		}
	}
	if strings.Join(chunks, "") != in {
		t.Errorf("reassembly differs")
	}
}

func TestSplitCountsUTF16(t *testing.T) {
	// Each emoji is 2 UTF-16 code units; a Vietnamese letter in NFC is 1.
	if w := textWidth("😀😀"); w != 4 {
		t.Errorf("width of two emoji = %d", w)
	}
	if w := textWidth("Thi đua"); w != 7 {
		t.Errorf("width of Vietnamese = %d", w)
	}
	if w := textWidth("<b>a</b>&lt;&#128512;"); w != 4 {
		t.Errorf("width with tags and entities = %d", w)
	}
	chunks := checkSplit(t, strings.Repeat("😀", 10), 5)
	for _, c := range chunks {
		if c != "😀😀" {
			t.Errorf("emoji chunk %q, want two emoji (4 units)", c)
		}
	}
}

func TestSplitKeepsCombiningMarks(t *testing.T) {
	// "ệ" decomposed: e + U+0323 (dot below) + U+0302 (circumflex).
	word := "e\u0323\u0302"
	in := strings.Repeat(word, 6)
	for _, c := range checkSplit(t, in, 4) {
		r := []rune(c)
		if unicode.Is(unicode.Mn, r[0]) {
			t.Errorf("chunk starts with a detached combining mark: %q", c)
		}
	}
	// A family emoji joined with ZWJ stays whole if it fits.
	family := "👨\u200d👩\u200d👧"
	for _, c := range checkSplit(t, "ab"+family, 9) {
		if strings.Contains(c, "\u200d") && !strings.Contains(c, family) {
			t.Errorf("joined emoji split: %q", c)
		}
	}
}

func TestSplitVietnameseReport(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		b.WriteString("<b>Đơn vị ")
		b.WriteString(strings.Repeat("Ư", i%7))
		b.WriteString("</b>: hoàn thành <i>chỉ tiêu thi đua</i> – đạt 100% 🎉\n")
	}
	in := b.String()
	chunks := checkSplit(t, in, MaxMessageLen)
	if len(chunks) < 2 {
		t.Fatalf("a %d-unit report gave %d chunks", textWidth(in), len(chunks))
	}
	if strings.Join(chunks, "") != in {
		t.Error("line-split report does not reassemble exactly")
	}
}

func TestSplitHardBreakWithoutSpaces(t *testing.T) {
	in := "<code>" + strings.Repeat("a", 25) + "</code>"
	chunks := checkSplit(t, in, 10)
	if len(chunks) != 3 || chunks[0] != "<code>aaaaaaaaaa</code>" {
		t.Errorf("chunks = %q", chunks)
	}
}

// splitSeeds are FuzzSplit's seeds, which FuzzSplitMatchesReference uses too.
var splitSeeds = []string{
	"hello world",
	"<b>bold <i>both</i></b>\nnext line",
	"&lt;tag&gt; &amp; &#x1F600; &#39;",
	"Thi đua yêu nước 🇻🇳 👨\u200d👩\u200d👧",
	"<a href=\"tg://user?id=1\">Lan</a> đã tham gia",
	"<pre>code\n  block\n</pre>",
	"1 < 2 && 3 > 2",
	"e\u0323\u0302e\u0323\u0302",
	"&0; &foo; &#0; &#xD800; &#x110000;",
	"\xa7\xf0\x9f \x80\x8d00",
}

func FuzzSplit(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add(s, 5)
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit = limit%64 + 1
		if limit < 1 {
			limit += 64
		}
		checkSplit(t, s, limit)
	})
}

func TestMention(t *testing.T) {
	for _, tc := range []struct {
		id             int64
		name, username string
		want           string
	}{
		{1, "Lan <Anh>", "lan", `<a href="tg://user?id=1">Lan &lt;Anh&gt;</a>`},
		{2, "Bình", "", `<a href="tg://user?id=2">Bình</a>`},
		{3, "", "minh_t", "@minh_t"},
		{4, "", "", `<a href="tg://user?id=4">user 4</a>`},
	} {
		if got := Mention(tc.id, tc.name, tc.username); got != tc.want {
			t.Errorf("Mention(%d, %q, %q) = %q, want %q", tc.id, tc.name, tc.username, got, tc.want)
		}
	}
}

func TestDisplayName(t *testing.T) {
	for _, tc := range []struct {
		u    *tgbotapi.User
		want string
	}{
		{&tgbotapi.User{FirstName: "Nguyễn", LastName: "Văn A", UserName: "nva"}, "Nguyễn Văn A"},
		{&tgbotapi.User{FirstName: "Lan"}, "Lan"},
		{&tgbotapi.User{UserName: "ghost"}, "ghost"},
		{nil, ""},
	} {
		if got := DisplayName(tc.u); got != tc.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", tc.u, got, tc.want)
		}
	}
	if Escape(`<a & "b">`) != "&lt;a &amp; &#34;b&#34;&gt;" {
		t.Errorf("Escape = %q", Escape(`<a & "b">`))
	}
}

func TestLang(t *testing.T) {
	for _, tc := range []struct {
		code     string
		fallback Lang
		want     Lang
	}{
		{"en", VI, EN}, {"en-US", VI, EN}, {"EN-gb", VI, EN}, {"vi", EN, VI}, {"vi-VN", EN, VI},
		{"fr", VI, VI}, {"fr", EN, EN}, {"", EN, EN},
	} {
		if got := LangOf(&tgbotapi.User{LanguageCode: tc.code}, tc.fallback); got != tc.want {
			t.Errorf("LangOf(%q, %s) = %s, want %s", tc.code, tc.fallback, got, tc.want)
		}
		if got := LangOfCode(tc.code, tc.fallback); got != tc.want {
			t.Errorf("LangOfCode(%q, %s) = %s, want %s", tc.code, tc.fallback, got, tc.want)
		}
	}
	if LangOf(nil, EN) != EN {
		t.Error("LangOf(nil) is not the fallback")
	}
	msg := T{VI: "Xin chào %s", EN: "Hello %s"}
	if msg.In(VI) != "Xin chào %s" || msg.F(EN, "Lan") != "Hello Lan" || msg.F("fr", "Lan") != "Xin chào Lan" {
		t.Errorf("T = %q %q", msg.In(VI), msg.F(EN, "Lan"))
	}
	if (T{VI: "chỉ tiếng Việt"}).In(EN) != "chỉ tiếng Việt" {
		t.Error("missing English does not fall back to Vietnamese")
	}
}

func TestSplitItemsKeepsItemsWhole(t *testing.T) {
	items := []string{
		"<b>Danh sách</b>",
		"\n1. Hội Nông dân\n1.1. Hoa — Chuyên viên\n    <i>thành tích của Hoa</i>",
		"1.2. Nam — Phó Chủ tịch\n    <i>thành tích của Nam</i>",
		"1.3. Mai — Hội viên\n    <i>thành tích của Mai</i>",
	}
	joined := strings.Join(items, "\n")
	if got := SplitItems(items, MaxMessageLen); len(got) != 1 || got[0] != joined {
		t.Fatalf("items that fit in one message: %q", got)
	}
	// 80 units take the first two items, then one each; Split would end
	// the second chunk after Mai's line, leaving her achievement to start
	// the third.
	chunks := SplitItems(items, 80)
	want := []string{
		"<b>Danh sách</b>\n\n1. Hội Nông dân\n1.1. Hoa — Chuyên viên\n    <i>thành tích của Hoa</i>\n",
		"1.2. Nam — Phó Chủ tịch\n    <i>thành tích của Nam</i>\n",
		"1.3. Mai — Hội viên\n    <i>thành tích của Mai</i>",
	}
	if strings.Join(chunks, "|") != strings.Join(want, "|") {
		t.Fatalf("chunks = %q, want %q", chunks, want)
	}
	if strings.Join(chunks, "") != joined {
		t.Errorf("the chunks do not make the text again")
	}
	if split := Split(joined, 80); split[1] == want[1] {
		t.Errorf("Split ends the chunks between items too: %q", split)
	}
}

func TestSplitItemsSplitsAnItemTooLong(t *testing.T) {
	long := "<b>" + strings.Repeat("dài ", 30) + "</b>"
	items := []string{"đầu", long, "cuối", "", "  "}
	chunks := SplitItems(items, 50)
	if len(chunks) < 3 || chunks[0] != "đầu\n" || !strings.HasSuffix(chunks[len(chunks)-1], "</b>\ncuối\n\n  ") {
		t.Fatalf("chunks = %q", chunks)
	}
	for i, c := range chunks {
		if w := textWidth(c); w > 50 {
			t.Errorf("chunk %d measures %d: %q", i, w, c)
		}
		if strings.Count(c, "<b>") != strings.Count(c, "</b>") {
			t.Errorf("chunk %d leaves a tag open: %q", i, c)
		}
	}
	if got := SplitItems([]string{" ", "\n"}, 10); got != nil {
		t.Errorf("items of white space give %q", got)
	}
}

// textWidth measures text as Split does (see measure).
func textWidth(text string) int {
	w, _ := measure(text)
	return w
}
