#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into corpus/<target>/ (run from fuzz/).

Each seed is a realistic input: Roster's own CSVs, the admin center's downloads and templates,
PowerShell's Export-Csv, Excel re-saves (Dutch Excel: `;` and Windows-1252; "Unicode text":
UTF-16), a tiny workbook, rules from Microsoft's documentation, Graph collection pages."""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_FIXTURES = os.path.join(HERE, "..", "src-tauri", "crates", "roster-csv", "tests", "fixtures")


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


PORTAL = ("userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,"
          "accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,"
          "postalCode,telephoneNumber,mobile,authenticationPhoneNumber,authenticationAlternativePhoneNumber,"
          "authenticationEmail,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification")

TEXT_FILES = {
    # Roster's users download: BOM, CRLF, formula guard on a leading '=', True/False.
    "roster_users.csv": ("\ufeffid,displayName,userPrincipalName,accountEnabled,department,otherMails\r\n"
                         "0a1b2c3d-0000-4000-8000-000000000001,Ana Müller,ana@contoso.com,True,Sales,a@x.com;b@x.com\r\n"
                         "0a1b2c3d-0000-4000-8000-000000000002,\"Bob, Jr.\",bob@contoso.com,False,'=cmd,\r\n").encode("utf-8"),
    # Roster's members download.
    "roster_members.csv": ("groupId,groupName,memberType,id,displayName,userPrincipalName,nestingPath\r\n"
                           "g1,All staff,User,u1,Ana,ana@contoso.com,\r\n"
                           "g1,All staff,Group,g2,Sales,,All staff > Sales\r\n").encode("utf-8"),
    # The admin center's classic users download.
    "admin_center_users.csv": ("\ufeff" + PORTAL + "\r\n"
                               "ana@contoso.com,Ana Müller,Müller,ana@contoso.com,Ana,0a1b2c3d-0000-4000-8000-000000000001,Member,Engineer,Sales,True,NL,Straat 1,,Netherlands,HQ,Utrecht,3511,+31 30 000,+31 6 1,,,,ana.private@example.com,,,\r\n").encode("utf-8"),
    # The admin center's bulk add template, historic form.
    "admin_center_template.csv": ("\ufeffversion:v1.0\r\n"
                                  "Member object ID or user principal name [memberObjectIdOrUpn] Required\r\n"
                                  "Example: 9832aad8-e4fe-496b-a604-95c6eF01ae75\r\n"
                                  "adele.vance@contoso.com\r\n9832aad8-e4fe-496b-a604-95c6ef01ae75\r\n"
                                  "jane_fabrikam.com#EXT#@contoso.onmicrosoft.com\r\n\r\n").encode("utf-8"),
    # Windows PowerShell 5.1 Export-Csv: #TYPE line, every field quoted.
    "powershell_export.csv": ("#TYPE System.Management.Automation.PSCustomObject\r\n"
                              "\"Id\",\"DisplayName\",\"UserPrincipalName\",\"AccountEnabled\"\r\n"
                              "\"11111111-1111-1111-1111-111111111111\",\"Ana\",\"ana@contoso.com\",\"True\"\r\n"
                              "\"22222222-2222-2222-2222-222222222222\",\"Bob \"\"B\"\"\",\"bob@contoso.com\",\"False\"\r\n").encode("utf-8"),
    # Dutch Excel "CSV (gescheiden door lijstscheidingsteken)": sep line, ';', Windows-1252.
    "dutch_excel.csv": ("sep=;\r\nNaam;E-mail;Afdeling\r\nJosé Müller;jose@contoso.com;Verkoop €\r\n"
                        "Renée;renee@contoso.com;\"Inkoop; Noord\"\r\n").encode("cp1252"),
    # Excel "Unicode text": UTF-16 LE with BOM, tabs.
    "excel_unicode_text.txt": "\ufeff".encode("utf-16-le") + (
        "Name\tE-mail\r\nZoë Ångström\tzoe@contoso.com\r\n日本 太郎\ttaro@contoso.com\r\n").encode("utf-16-le"),
    # UTF-16 BE with BOM, one column.
    "utf16be.csv": b"\xfe\xff" + "upn\nadele.vance@contoso.com\n".encode("utf-16-be"),
    # A pasted list: no header, mailto: and <> decoration, a duplicate.
    "pasted_list.csv": "mailto:ana@contoso.com\n<bob@contoso.com>\nANA@contoso.com\n\nnot an address\n".encode("utf-8"),
}

for name, data in TEXT_FILES.items():
    write("member_file", name, data)
    write("encoding", name, data)
shutil.copy(os.path.join(CSV_FIXTURES, "members.xlsx"), os.path.join(HERE, "corpus", "member_file", "members.xlsx"))

# The review target: one byte N, N query bytes, then the file.
queries = [b"\x04\x02\x01\x01\x00", b"\x02\x00\x03", b"\x06\x08\x02\x05\x00\x81\x01", b"\x00", b"\x02\x07\x41"]
for (name, data), query in zip(sorted(TEXT_FILES.items()), queries * 2):
    write("review", name, query + data)

# The workbook target: the sheet's XML, 0xFF, the shared strings' XML.
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET_SHARED = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="A1:B3"/><sheetData>'
                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>42</v></c></row>'
                '<row r="3"><c r="B3" t="b"><v>1</v></c><c r="A3" t="s"><v>3</v></c></row>'
                '</sheetData></worksheet>')
SHARED = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="4" uniqueCount="4">'
          '<si><t>ObjectId</t></si><si><t>Name</t></si>'
          '<si><t>1f1a2b3c-0000-4000-8000-000000000001</t></si>'
          '<si><r><t>adele</t></r><r><t xml:space="preserve">.vance@contoso.com</t></r></si></sst>')
SHEET_INLINE = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
                '<row r="2"><c r="C2" t="inlineStr"><is><t>upn</t></is></c></row>'
                '<row r="4"><c r="C4" t="inlineStr"><is><t>ana@contoso.com</t></is></c>'
                '<c r="D4" t="str"><f>A1&amp;"x"</f><v>x</v></c></row>'
                '<row r="5"><c r="C5" s="1"><v>45292.5</v></c><c r="D5" t="e"><v>#N/A</v></c></row>'
                '</sheetData></worksheet>')
SHEET_NO_REFS = (f'<worksheet {NS}><sheetData><row><c t="inlineStr"><is><t>member</t></is></c></row>'
                 '<row><c t="inlineStr"><is><t>bob@contoso.com</t></is></c></row></sheetData></worksheet>')
write("member_xlsx", "shared_strings", SHEET_SHARED.encode() + b"\xff" + SHARED.encode())
write("member_xlsx", "inline_strings", SHEET_INLINE.encode())
write("member_xlsx", "no_cell_refs", SHEET_NO_REFS.encode() + b"\xff" + f"<sst {NS}/>".encode())

RULES = {
    "department": 'user.department -eq "Sales"',
    "and_or": '(user.department -eq "Sales") -and (user.accountEnabled -eq true) -or -not (user.city -in ["Oslo", "Bergen"])',
    "any_mails": 'user.otherMails -any (_ -contains "contoso")',
    "plans": ('user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" '
              '-and assignedPlan.capabilityStatus -eq "Enabled")'),
    "direct_reports": 'Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863"',
    "member_of": "user.memberof -any (group.objectId -in ['aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'])",
    "dates": "user.employeeHireDate -ge system.now -minus p30d -and user.employeeHireDate -le 2026-12-31T00:00:00Z",
    "match": 'user.mail -match "^.*@contoso\\.com$" -and user.extensionAttribute3 -ne null',
    "quotes": 'user.jobTitle -eq `"Sales`" -or user.displayName -startsWith "O\'Brien" -or user.proxyAddresses -notContains "smtp:x"',
    "all_null": "user.assignedPlans -all (assignedPlan.servicePlanId -eq null)",
}
for name, rule in RULES.items():
    write("rules", name, rule)

users_page = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)",
    "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X%27abc%27",
    "value": [
        {"id": "0a1b2c3d-0000-4000-8000-000000000001", "displayName": "Ana Müller", "accountEnabled": True,
         "userPrincipalName": "ana@contoso.com", "businessPhones": ["+31 30 000"], "otherMails": ["a@x.com"],
         "mobilePhone": None, "createdDateTime": "2024-01-31T09:12:45Z",
         "assignedLicenses": [{"skuId": "s", "disabledPlans": []}],
         "onPremisesExtensionAttributes": {"extensionAttribute1": "v"}, "employeeOrgData": None},
        {"id": "2", "accountEnabled": False, "businessPhones": [], "otherMails": "odd", "mobilePhone": 42},
    ],
}
members_page = {"value": [
    {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ann", "userPrincipalName": "ann@x", "mail": None},
    {"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Nested"},
    {"@odata.type": "#microsoft.graph.device", "id": "d1", "displayName": "PC"},
]}
groups_page = {"@odata.count": 2, "value": [
    {"id": "g1", "displayName": "Sales", "groupTypes": ["Unified"], "mailEnabled": True, "securityEnabled": False,
     "membershipRule": None, "onPremisesSyncEnabled": None},
    {"id": "g2", "displayName": "Dyn", "groupTypes": ["DynamicMembership"], "membershipRule": "user.department -eq \"x\""},
]}
write("graph_page", "users_page.json", json.dumps(users_page, ensure_ascii=False))
write("graph_page", "members_page.json", json.dumps(members_page))
write("graph_page", "groups_page.json", json.dumps(groups_page))
write("graph_page", "empty_page.json", '{"@odata.context":"x","value":[],"@odata.nextLink":"https://graph/next"}')

# The graph_scan target: one byte that says where the page is cut, then a Graph answer's body
# (a collection page, an error envelope) or a Retry-After value.
error_forbidden = {"error": {"code": "Authorization_RequestDenied",
                             "message": "Insufficient privileges to complete the operation.",
                             "innerError": {"date": "2026-12-07T12:00:00", "request-id": "r", "client-request-id": "c"}}}
error_throttled = {"error": {"code": "TooManyRequests", "message": "Too many requests"}}
for name, cut, body in [
    ("users_page_cut_half", 0x80, json.dumps(users_page, ensure_ascii=False)),
    ("members_page_whole", 0xFF, json.dumps(members_page)),
    ("groups_count_first", 0x40, json.dumps(groups_page)),
    ("error_forbidden", 0x03, json.dumps(error_forbidden)),
    ("error_throttled", 0x1D, json.dumps(error_throttled)),
    ("retry_after_seconds", 0x00, "120"),
    ("retry_after_date", 0x05, "Wed, 21 Oct 2026 07:28:00 GMT"),
]:
    write("graph_scan", name, bytes([cut]) + body.encode("utf-8"))
