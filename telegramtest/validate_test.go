package telegramtest

import (
	"strings"
	"testing"
)

func TestValidateHTML(t *testing.T) {
	for text, want := range map[string]string{
		"<b>Khối</b> &amp; đơn vị": "",
		"<b>Khối":                  "Bad Request: can't parse entities",
		"a < b":                    "Bad Request: can't parse entities",
		"<blink>x</blink>":         "Bad Request: can't parse entities",
		"   ":                      "Bad Request: message text is empty",
		"\xff":                     "Bad Request: text must be encoded in UTF-8",
		strings.Repeat("ế", 4096):  "",
		"<i>" + strings.Repeat("🏆", 2049) + "</i>": "Bad Request: message is too long",
	} {
		err := ValidateHTML(text)
		switch {
		case want == "" && err != nil:
			t.Errorf("ValidateHTML(%.40q) = %v, want nil", text, err)
		case want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
			t.Errorf("ValidateHTML(%.40q) = %v, want %q...", text, err, want)
		}
	}
}
