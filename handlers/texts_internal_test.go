package handlers

import "testing"

func TestPlainTextAndShorten(t *testing.T) {
	if got := plainText(msgNoBlock.VI); got != "Nhóm này chưa được thiết lập khối thi đua. Quản trị viên nhóm gửi /setup <tên khối> để bắt đầu." {
		t.Fatalf("plainText = %q", got)
	}
	if got := shorten("Hội Nông dân tỉnh", 10); got != "Hội Nông …" {
		t.Fatalf("shorten = %q", got)
	}
	if got := shorten("😀😀😀", 5); got != "😀😀…" {
		t.Fatalf("shorten counts UTF-16 units: %q", got)
	}
	if got := shorten("ngắn", 10); got != "ngắn" {
		t.Fatalf("shorten = %q", got)
	}
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"tổng dư nợ 18,5 tỷ đồng; vận động quỹ", 32, "tổng dư nợ 18,5 tỷ đồng; vận…"},
		{"Hội viên, chủ trang trại lớn nhất", 20, "Hội viên, chủ trang…"},
		{"Hiến máu 30 lần", 20, "Hiến máu 30 lần"},
		{"Nghiêngnghiêngnghiêngnghiêngnghiêngnghiêng", 33, "Nghiêngnghiêngnghiêngnghiêngnghi…"},
	} {
		if got := shortenWords(c.in, c.n); got != c.want {
			t.Errorf("shortenWords(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
