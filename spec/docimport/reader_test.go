package docimport

import (
	"fmt"
	"strings"
	"testing"
)

func TestTypeCell(t *testing.T) {
	for in, want := range map[string]string{
		"string": "string/", "String": "string/", "integer": "integer/", "long": "integer/", "Long": "integer/",
		"int32": "integer/", "int64": "integer/", "boolean": "boolean/", "Boolean": "boolean/", "double": "number/",
		"Struct": "object/", "object": "object/", "Object": "object/", "List": "array/", "RepeatList": "array/",
		"Array": "array/", "array": "array/", "Array of Folder": "array/object", "Array of String": "array/string",
		"object []": "array/object", "string []": "array/string", "array<object>": "array/object",
		"array<string>": "array/string", "List<Integer>": "array/integer",
		// not types: a name glued to a type, words, sentences
		"Membersobject []": "", "Description": "", "The ID of the folder.": "", "": "", "strings": "",
	} {
		typ, item, ok := typeCell(in)
		got := ""
		if ok {
			got = typ + "/" + item
		}
		if got != want {
			t.Errorf("typeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeaderRoles(t *testing.T) {
	for in, want := range map[string]string{
		"ParameterTypeRequiredDescriptionExample":            "name type required description example",
		"Parameter Type Required Example Description":        "name type required example description",
		"名称类型必填描述示例值":                                        "name type required description example",
		"HTTP status codeError codeError messageDescription": "status code message description",
		"HttpCode 错误码 错误信息 描述":                               "status code message description",
		"必須 / 任意":                                            "required",
		"Obrigatório":                                        "required",
		"FolderIdstringYes":                                  "",
		"The ID of the folder.":                              "",
	} {
		if got := strings.Join(headerRoles(in), " "); got != want {
			t.Errorf("headerRoles(%q) = %q, want %q", in, got, want)
		}
	}
}

// rowsOf reads a request table's text and prints its parameters.
func rowsOf(t *testing.T, table string) string {
	t.Helper()
	page := "Resource Management:Thing\n\nRequest parameters\n\n" + table + "\n\nResponse parameters\n"
	p, err := ParsePage("t.txt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(prefix string, fs []*Field)
	walk = func(prefix string, fs []*Field) {
		for _, f := range fs {
			if f.Name == "[*]" {
				continue // the item row's own description
			}
			req := "?"
			if f.Required != nil {
				req = map[bool]string{true: "yes", false: "no"}[*f.Required]
			}
			s := fmt.Sprintf("%s%s:%s", prefix, f.Name, f.Type)
			if f.ItemType != "" {
				s += "<" + f.ItemType + ">"
			}
			s += ":" + req
			if f.Example != "" {
				s += "=" + f.Example
			}
			out = append(out, s)
			walk(prefix+f.Name+".", f.Children)
		}
	}
	walk("", p.Params)
	return strings.Join(out, " ")
}

// TestRowsInEveryLayout: one table in each layout family reads to the same
// parameters.
func TestRowsInEveryLayout(t *testing.T) {
	const want = "FolderId:string:yes=fd-Jyl5U7**** PageSize:integer:no=10"
	for name, table := range map[string]string{
		"run-together":  "ParameterTypeRequiredDescriptionExample\nFolderIdstringYes\n\nThe ID of the folder.\n\nfd-Jyl5U7****\nPageSizeintegerNo\n\nThe number of entries.\n\n10",
		"old-space":     "Parameter Type Required Example Description\nFolderId String Yes fd-Jyl5U7****\n\nThe ID of the folder.\n\nPageSize Integer No 10\n\nThe number of entries.",
		"pipe":          "| Parameter | Type | Required | Description | Example |\n|---|---|---|---|---|\n| FolderId | string | Yes | The ID of the folder. | fd-Jyl5U7**** |\n| PageSize | integer | No | The number of entries. | 10 |",
		"pipe no lead":  "Parameter | Type | Required | Description | Example |\n---|---|---|---|---|\nFolderId | string | Yes | The ID of the folder. | fd-Jyl5U7**** | \nPageSize | integer | No | The number of entries. | 10 | ",
		"pipe wrapped":  "Parameter | Type | Required | Example | Description |\n---|---|---|---|---|\nFolderId | String | Yes | fd-Jyl5U7**** |\nThe ID of the folder. |\nPageSize | Integer | No | 10 |\nThe number of\nentries. |",
		"pipe open":     "| Parameter | Type | Required | Description | Example |\n|---|---|---|---|---|\n| FolderId | string | Yes | The ID of the folder. Valid values:\n| fd-Jyl5U7**** |\n| PageSize | integer | No | The number of entries. | 10 |",
		"pipe cells":    "|\nParameter |\nType |\nRequired |\nDescription |\nExample |\n| FolderId |\nstring |\nYes |\nThe ID of the folder. |\nfd-Jyl5U7**** |\n| PageSize |\ninteger |\nNo |\nThe number of entries. |\n10 |",
		"cell-per-line": "名称\n\n类型\n\n必填\n\n描述\n\n示例值\n\nFolderId\n\nstring\n\n是\n\n资源夹 ID。\n\nfd-Jyl5U7****\n\nPageSize\n\ninteger\n\n否\n\n每页条数。\n\n10",
		"ja 3 labels":   "パラメーター\n\n必須 / 任意\n\n説明\n\nFolderId\n\nstring\n\n必須\n\nフォルダの ID です。\n\nfd-Jyl5U7****\n\nPageSize\n\ninteger\n\n任意\n\n件数。\n\n10",
		"pt-BR":         "Parâmetro\n\nTipo\n\nObrigatório\n\nDescrição\n\nExemplo\n\nFolderId\n\nstring\n\nSim\n\nO ID da pasta.\n\nfd-Jyl5U7****\n\nPageSize\n\ninteger\n\nNão\n\nO número de entradas.\n\n10",
		"hybrid":        "Parameter\nType\nRequired\nExample\nDescription\nFolderId String Yes fd-Jyl5U7****\nThe ID of the folder.\nPageSize Integer No 10\nThe number of entries.",
	} {
		if got := rowsOf(t, table); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// TestStructureOnEvidence: nesting from flat names, item rows and the tag
// convention; never from a description naming another row; the Action row
// and common parameters are not the operation's.
func TestStructureOnEvidence(t *testing.T) {
	for name, c := range map[string]struct{ table, want string }{
		"flat names": {
			"Parameter Type Required Example Description\nAction String Yes Thing\nThe operation. Set the value to Thing.\nTag.N.Key String No k1\nThe key of the tag.\nTag.N.Value String No v1\nThe value.\nMembers.N String Yes fd-1\nA member.\nFor more information about common request parameters, see Common parameters.",
			"Tag:array<object>:no Tag.Key:string:no=k1 Tag.Value:string:no=v1 Members:array<string>:yes=fd-1",
		},
		"tag list then a sibling that names it": {
			"| Parameter | Type | Required | Description | Example |\n|---|---|---|---|---|\n| Tag | object [] | No | The tags. | |\n| Key | string | No | The key of the tag. | k1 |\n| Value | string | No | The value of the tag. | v1 |\n| IncludeTags | boolean | No | Whether to return the tags. | true |",
			"Tag:array<object>:no Tag.Key:string:no=k1 Tag.Value:string:no=v1 IncludeTags:boolean:no=true",
		},
		"list of scalars with an item row": {
			"ParameterTypeRequiredDescriptionExample\nResourceIdarrayNo\n\nThe IDs.\n\nstringNo\n\nAn ID.\n\n1098***\nResourceTypestringYes\n\nThe type.\n\nAccount",
			"ResourceId:array<string>:no=1098*** ResourceType:string:yes=Account",
		},
		"lost name cell": {
			"| Parameter | Type | Required | Description | Example |\n|---|---|---|---|---|\n| AccountId | string | Yes | The ID. | 1 |\nstring | Yes | The email address. | someone@example.com |",
			"AccountId:string:yes=1",
		},
	} {
		if got := rowsOf(t, c.table); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, c.want)
		}
	}
}

// TestErrorRowsInEveryLayout: status, code and message from every shape
// of the error table, whatever its heading.
func TestErrorRowsInEveryLayout(t *testing.T) {
	const want = "400 MissingParameter.FolderId [You must specify FolderId.] | 404 EntityNotExists.Folder [The folder does not exist.]"
	for name, c := range map[string]struct{ heading, table string }{
		"run-together":  {"Error codes", "HTTP status codeError codeError messageDescription\n400MissingParameter.FolderIdYou must specify FolderId.The FolderId parameter is not configured.\n404EntityNotExists.FolderThe folder does not exist.Create it first."},
		"glued heading": {"}Error codes", "HTTP status codeError codeError message\n400MissingParameter.FolderIdYou must specify FolderId.\n404EntityNotExists.FolderThe folder does not exist."},
		"space zh":      {"错误码", "HttpCode 错误码 错误信息 描述\n400 MissingParameter.FolderId You must specify FolderId. 资源夹ID缺失。\n404 EntityNotExists.Folder The folder does not exist. 资源夹不存在。"},
		"space en":      {"Error codes", "HTTP status code Error code Error message Description\n400 MissingParameter.FolderId You must specify FolderId. The error message returned because FolderId is missing.\n404 EntityNotExists.Folder The folder does not exist. The error message returned because the folder does not exist."},
		"pipe":          {"Error codes", "| HTTP status code | Error code | Error message | Description |\n|---|---|---|---|\n| 400 | MissingParameter.FolderId | You must specify FolderId. | Missing. |\n| 404 | EntityNotExists.Folder | The folder does not exist. | |"},
		"pipe 3 cols":   {"错误码", "| HttpCode | 错误码 | 错误信息 |\n|---|---|---|\n| 400 | MissingParameter.FolderId | You must specify FolderId. |\n| 404 | EntityNotExists.Folder | The folder does not exist. |"},
		"no heading":    {"Examples", "{\n  \"RequestId\": \"1\"\n}\n\nHTTP status codeError codeError message\n400MissingParameter.FolderIdYou must specify FolderId.\n404EntityNotExists.FolderThe folder does not exist."},
		"cell per line": {"エラーコード", "HTTP ステータスコード\n\nエラーコード\n\nエラーメッセージ\n\n説明\n\n400\n\nMissingParameter.FolderId\n\nYou must specify FolderId.\n\n説明。\n\n404\n\nEntityNotExists.Folder\n\nThe folder does not exist.\n\n説明。"},
	} {
		page := "Resource Management:Thing\n\nRequest parameters\n\nFolderIdstringYes\n\nThe folder.\n\n" + c.heading + "\n\n" + c.table + "\n\nChange history\n"
		p, err := ParsePage("t.txt", []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range p.Errors {
			got = append(got, fmt.Sprintf("%d %s [%s]", e.Status, e.Code, e.Message))
		}
		if strings.Join(got, " | ") != want {
			t.Errorf("%s:\n got %s\nwant %s", name, strings.Join(got, " | "), want)
		}
	}
}

// TestOperationIdentity: each signal names the operation when the ones
// before it are missing, and a table cell never does.
func TestOperationIdentity(t *testing.T) {
	table := "\n\nRequest parameters\n\nParameter Type Required Example Description\nFolderId String Yes fd-1\nThe folder.\n"
	for name, c := range map[string]struct{ file, page, action, want, from string }{
		"title":           {"a.txt", "Resource Management:GetFolder\n" + table, "", "GetFolder", "title"},
		"empty product":   {"a.txt", ":GetFolder\n" + table, "", "GetFolder", "title"},
		"title and dash":  {"a.txt", "资源管理:ListAncestors - 查看父资源夹\n" + table, "", "ListAncestors", "title"},
		"dash":            {"a.txt", "ListTrustedServiceStatus - 查询\n" + table, "", "ListTrustedServiceStatus", "title"},
		"action row":      {"a.txt", "Queries a folder." + table + "Action String Yes GetFolder\nThe operation.\n", "", "GetFolder", "Action row"},
		"sample":          {"a.txt", "Queries a folder." + table + "\nExamples\n\nhttps://resourcemanager.aliyuncs.com/? Action=GetFolder\n&FolderId=fd-1\n", "", "GetFolder", "sample request"},
		"ram":             {"a.txt", "Queries a folder.\n\nRAM authorization\n\n| Action | Access level |\n| resourcemanager:GetFolder | get |" + table, "", "GetFolder", "RAM action"},
		"call zh":         {"a.txt", "调用DeleteFolder删除资源夹。" + table, "", "DeleteFolder", "operation description"},
		"use en":          {"a.txt", "Use CreateControlPolicy to create a policy." + table, "", "CreateControlPolicy", "operation description"},
		"file name":       {"pages/044_ListFoldersForParent_en.txt", "Queries folders." + table, "", "ListFoldersForParent", "file name"},
		"explicit":        {"a.txt", "Resource Management:GetFolder\n" + table, "GetFolderV2", "GetFolderV2", "--action"},
		"enum in a cell":  {"a.txt", "Queries a folder." + table + "Type String Yes Account\n• Account: Member\n", "", "", ""},
		"call in a table": {"a.txt", "Queries." + table + "Note String No x\nYou can call the GetDefaultDomain operation to obtain the alias.\n", "", "", ""},
	} {
		p, err := ParsePageAs(c.file, []byte(c.page), c.action)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: named %s (by %s), want no operation", name, p.Action, p.ActionFrom)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Action != c.want || p.ActionFrom != c.from {
			t.Errorf("%s: %s by %s, want %s by %s", name, p.Action, p.ActionFrom, c.want, c.from)
		}
	}
}

func TestLanguages(t *testing.T) {
	for want, text := range map[string]string{
		"en":      "Queries the information about a folder. The ID of the folder.",
		"pt-BR":   "Somente uma conta de gerenciamento pode ser usada. O número da página. Valor padrão: 1. Não",
		"ja":      "フォルダの情報を照会します。フォルダの ID です。リクエストパラメーター",
		"zh-Hans": "调用DeleteFolder删除资源夹。删除资源夹前，请确保资源夹下不存在成员或子资源夹。请求参数名称类型",
		"zh-Hant": "更新成員的結算帳號。您可以在OpenAPI Explorer中直接運行該介面，免去您計算簽名的困擾。請求參數名稱類型",
	} {
		if got := language(strings.Split(text, "\n")); got != want {
			t.Errorf("language(%q) = %s, want %s", text, got, want)
		}
	}
}

// TestTruncatedPageSaysWhereItEnds: a page cut inside a table keeps the
// rows it has and says where the text ends; the row cut mid-code is
// dropped, not imported as a code.
func TestTruncatedPageSaysWhereItEnds(t *testing.T) {
	page := "Resource Management:ListThings\n\nRequest parameters\n\nParameterTypeRequiredDescriptionExample\nPageNumberintegerNo\n\nThe page.\n\n1\nPageSizeintegerNo\n\nThe number of ent"
	p, err := ParsePage("t.txt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Params) != 2 || p.Params[1].Name != "PageSize" {
		t.Fatalf("the rows before the cut are lost: %+v", p.Params)
	}
	if w := fmt.Sprint(p.Warnings); !strings.Contains(w, "inside the request table after row PageSize") {
		t.Errorf("no warning says where the text ends: %s", w)
	}
	// an example cut short is no example
	p, err = ParsePage("t.txt", []byte("Resource Management:ListThings\n\nRequest parameters\n\nParameterTypeRequiredDescriptionExample\nLanguagestringNo\n\nThe language.\n\nzh-C"))
	if err != nil || len(p.Params) != 1 || p.Params[0].Example != "" {
		t.Errorf("a cut example is kept: %v %+v", err, p.Params)
	}
	page = "Resource Management:ListThings\n\nError codes\n\n| HTTP status code | Error code | Error message |\n|---|---|---|\n| 400 | InvalidParameter.X | The X is invalid. |\n| 400 | In"
	p, err = ParsePage("t.txt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 1 || p.Errors[0].Code != "InvalidParameter.X" {
		t.Errorf("errors %+v, want only the complete row", p.Errors)
	}
	if w := fmt.Sprint(p.Warnings); !strings.Contains(w, "in the code of its last row") {
		t.Errorf("the dropped row is not reported: %s", w)
	}
	// A whole page ends in a sentence: nothing to say.
	p, _ = ParsePage("t.txt", []byte("Resource Management:ListThings\n\nRequest parameters\n\nPageNumberintegerNo\n\nThe page.\n"))
	if w := fmt.Sprint(p.Warnings); strings.Contains(w, "text ends") {
		t.Errorf("a whole page is said to be cut: %s", w)
	}
}

func TestHeadingsInEveryLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"Request parameters": "request", "Parâmetros da solicitação": "request", "リクエストパラメーター": "request", "请求参数": "request", "請求參數": "request",
		"Response elements": "response", "返回数据": "response", "レスポンスフィールド": "response",
		"}Error codes": "errors", "}错误码": "errors", "エラーコード": "errors", "## Error codes": "errors",
		"The request parameters are": "",
	} {
		got, _ := heading(in)
		if got != want {
			t.Errorf("heading(%q) = %q, want %q", in, got, want)
		}
	}
	// a heading broken over two lines
	p, err := ParsePage("t.txt", []byte("Resource Management:Thing\n\nParâmetr\nos da solicitação\n\nFolderIdstringSim\n\nA pasta.\n"))
	if err != nil || len(p.Params) != 1 || p.Params[0].Name != "FolderId" {
		t.Errorf("broken heading: %v %+v", err, p)
	}
}
