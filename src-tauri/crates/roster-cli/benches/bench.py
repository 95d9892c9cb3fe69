"""The baseline the download benchmark compares with: a plain Python script that pages through
/users with keep-alive HTTP, $select and $top=999, and writes the portal's Graph columns with
the json and csv standard modules. Usage: python3 bench.py SERVICE_ROOT OUT.csv (token in
ROSTER_ACCESS_TOKEN)."""
import csv
import http.client
import json
import os
import sys
import urllib.parse

COLUMNS = [
    ("userPrincipalName", "userPrincipalName"), ("displayName", "displayName"), ("surname", "surname"),
    ("mail", "mail"), ("givenName", "givenName"), ("objectId", "id"), ("userType", "userType"),
    ("jobTitle", "jobTitle"), ("department", "department"), ("accountEnabled", "accountEnabled"),
    ("usageLocation", "usageLocation"), ("streetAddress", "streetAddress"), ("state", "state"),
    ("country", "country"), ("physicalDeliveryOfficeName", "officeLocation"), ("city", "city"),
    ("postalCode", "postalCode"), ("telephoneNumber", "businessPhones"), ("mobile", "mobilePhone"),
    ("alternateEmailAddress", "otherMails"), ("ageGroup", "ageGroup"),
    ("consentProvidedForMinor", "consentProvidedForMinor"),
    ("legalAgeGroupClassification", "legalAgeGroupClassification"),
]


def cell(name, value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        if name == "businessPhones":
            return str(value[0]) if value else ""
        return ";".join(str(v) for v in value)
    return str(value)


def main():
    root, out = sys.argv[1], sys.argv[2]
    url = urllib.parse.urlsplit(root)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    headers = {"Authorization": "Bearer " + os.environ["ROSTER_ACCESS_TOKEN"]}
    select = ",".join(dict.fromkeys(src for _, src in COLUMNS))
    path = "/v1.0/users?$select=" + select + "&$top=999"
    rows = 0
    with open(out, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow([h for h, _ in COLUMNS])
        while path:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = json.loads(response.read())
            if response.status != 200:
                raise SystemExit("HTTP %d: %s" % (response.status, body))
            for user in body.get("value", []):
                writer.writerow([cell(src, user.get(src)) for _, src in COLUMNS])
                rows += 1
            link = body.get("@odata.nextLink")
            path = None
            if link:
                parts = urllib.parse.urlsplit(link)
                path = parts.path + ("?" + parts.query if parts.query else "")
    print(rows)


main()
