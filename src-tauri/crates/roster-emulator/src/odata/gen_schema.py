#!/usr/bin/env python3
"""One-off generator: reads Microsoft's v1.0 CSDL subset and writes schema.rs (property name + Edm type tables).

Usage: python3 gen_schema.py ../../../../../../shared/reference/graph-v1-directory-schema.xml > schema.rs && rustfmt --edition 2024 schema.rs
"""
import sys
import xml.etree.ElementTree as ET

ENTITIES = ["user", "group", "device", "servicePrincipal", "orgContact"]


def props(el):
    return sorted(
        ((p.get("Name"), p.get("Type").replace("graph.", "microsoft.graph.")) for p in el.findall("Property")),
        key=lambda t: t[0].lower(),
    )


def main():
    root = ET.parse(sys.argv[1]).getroot()
    types = {el.get("Name"): el for el in root if el.tag in ("EntityType", "ComplexType")}
    base = props(types["directoryObject"]) + [("id", "Edm.String")]
    out = [
        "//! Property names and Edm types of the directory entity and complex types, generated from",
        "//! `graph-v1-directory-schema.xml` (Microsoft Graph v1.0 CSDL) by `gen_schema.py`. Do not edit by hand.",
        "",
        "/// One structural property of an entity or complex type: canonical camelCase name and Edm type.",
        "#[derive(Debug, Clone, Copy, PartialEq, Eq)]",
        "pub struct PropertyDef {",
        "    /// Canonical (camelCase) property name.",
        "    pub name: &'static str,",
        "    /// Edm or `microsoft.graph.*` type, `Collection(...)` for collections.",
        "    pub edm: &'static str,",
        "}",
        "",
        "const fn p(name: &'static str, edm: &'static str) -> PropertyDef {",
        "    PropertyDef { name, edm }",
        "}",
        "",
    ]
    for name in ENTITIES:
        allp = sorted(set(props(types[name]) + base), key=lambda t: t[0].lower())
        out.append(f"/// Structural properties of `microsoft.graph.{name}` (including `directoryObject`'s and `id`).")
        out.append(f"pub static {camel_upper(name)}: &[PropertyDef] = &[")
        out += [f'    p("{n}", "{t}"),' for n, t in allp]
        out.append("];")
        out.append("")
    complex_names = sorted(n for n, el in types.items() if el.tag == "ComplexType" and el.findall("Property"))
    out.append("/// Structural properties of the complex types the entity types above use, by qualified name.")
    out.append("pub static COMPLEX_TYPES: &[(&str, &[PropertyDef])] = &[")
    for n in complex_names:
        out.append(f'    ("microsoft.graph.{n}", &[')
        out += [f'        p("{pn}", "{pt}"),' for pn, pt in props(types[n])]
        out.append("    ]),")
    out.append("];")
    print("\n".join(out))


def camel_upper(s):
    r = ""
    for c in s:
        if c.isupper():
            r += "_"
        r += c.upper()
    return r


main()
