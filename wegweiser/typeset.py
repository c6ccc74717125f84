"""Sets one Wegweiser with Typst, in a process of its own (run by wegweiser/pdf.py).

    python -I wegweiser/typeset.py TEMPLATE FONT_DIR < guide.json > guide.pdf

Reads the guide's JSON document on standard input and writes the tagged PDF
to standard output; Typst's warnings go to standard error, one a line; an
error exits with status 1 and its message there. Typst keeps what it laid out
in memory for later documents (about 100 MB a guide of 300 offers); a
process of its own gives it all back when the guide is done. Imports nothing
of the project.
"""

import sys
from pathlib import Path

import typst


def main(template, font_dir):
    template = Path(template)
    compiler = typst.Compiler(
        template, root=template.parent, font_paths=[font_dir], ignore_system_fonts=True
    )
    try:
        pdf, warnings = compiler.compile_with_warnings(
            sys_inputs={"guide": sys.stdin.read()}, format="pdf", pdf_tags=True
        )
    except typst.TypstError as error:
        print(error.message, file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning.message, file=sys.stderr)
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
