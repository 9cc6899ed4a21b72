#!/usr/bin/env python3
"""Writes cases.json: invented MATH-style (solution, response) pairs.

Every gold answer and response below was written for this corpus (no MATH
data). Each gold gets a worked "solution" ending in its boxed answer, and
responses in the formats models produce: the Minerva `Final Answer` line,
`\\boxed{}`, plain text, equivalent forms, wrong answers and formatting
noise. Deterministic: rerunning writes the same file.

    python3 plugins/math/fidelity/make_cases.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SUBJECTS = ["algebra", "counting_and_probability", "geometry", "intermediate_algebra",
            "number_theory", "prealgebra", "precalculus"]

# (gold as boxed in the solution, [equivalent forms], [wrong forms])
GOLDS = [
    ("5", ["5.0", "\\frac{10}{2}", "+5"], ["6", "-5"]),
    ("-3", ["-3.0", "- 3", "\\frac{-6}{2}"], ["3"]),
    ("\\frac{1}{2}", ["0.5", "\\dfrac12", "1/2", ".5", "\\frac{2}{4}"], ["\\frac{1}{3}", "2"]),
    ("\\dfrac{3}{4}", ["0.75", "\\frac34", "3/4"], ["\\frac{4}{3}"]),
    ("-\\frac{2}{3}", ["-2/3", "\\frac{-2}{3}", "-0.666667"], ["\\frac{2}{3}", "-0.67"]),
    ("\\frac{1}{3}", ["0.333333", "\\frac{2}{6}"], ["0.333", "0.33"]),
    ("2\\sqrt{3}", ["\\sqrt{12}", "2 \\sqrt 3", "3.464102"], ["3\\sqrt{2}", "3.46"]),
    ("\\frac{\\sqrt{2}}{2}", ["\\frac{1}{\\sqrt{2}}", "\\sqrt{2}/2", "0.707107"], ["\\sqrt{2}"]),
    ("3\\pi", ["3 \\pi", "\\pi \\cdot 3"], ["9.42", "3"]),
    ("\\frac{\\pi}{6}", ["\\pi/6", "\\frac{1}{6}\\pi"], ["\\frac{\\pi}{3}", "30^\\circ"]),
    ("0.25", ["\\frac{1}{4}", ".25", "1/4"], ["0.2"]),
    ("1.5", ["\\frac{3}{2}", "1.50"], ["15"]),
    ("(2,3)", ["(2, 3)", "\\left(2,3\\right)"], ["(3,2)", "2,3"]),
    ("(-1,4)", ["(-1, 4)"], ["(1,4)"]),
    ("[2,5)", ["[2, 5)"], ["(2,5)", "[2,5]"]),
    ("(-\\infty,3]", ["(-\\infty, 3]", "x \\le 3"], ["(-\\infty,3)"]),
    ("(-\\infty,-2)\\cup(3,\\infty)", ["(-\\infty, -2) \\cup (3, \\infty)"], ["(-2,3)"]),
    ("1,2,3", ["1, 2, 3", "3, 2, 1", "\\{1,2,3\\}"], ["1,2", "123"]),
    ("-2, 5", ["5, -2", "-2,5"], ["2, 5"]),
    ("x^2+2x+1", ["(x+1)^2", "x^2 + 2x + 1", "1+2x+x^2"], ["x^2+1"]),
    ("y=2x+3", ["y = 2x + 3", "2x+3", "y=3+2x"], ["y=3x+2"]),
    ("\\text{Monday}", ["Monday", "\\text{monday}", "\\textbf{Monday}"], ["\\text{Tuesday}"]),
    ("\\text{(C)}", ["(C)", "\\text{C}", "C"], ["\\text{(D)}"]),
    ("10\\%", ["10", "10 \\%", "0.1"], ["20\\%"]),
    ("45^\\circ", ["45", "45^{\\circ}", "45 degrees"], ["135^\\circ"]),
    ("12\\text{ cm}", ["12", "12 cm", "12\\text{ centimeters}"], ["13\\text{ cm}"]),
    ("1,000", ["1000", "1{,}000", "10^3"], ["100"]),
    ("10,\\!000", ["10000", "10,000"], ["1000"]),
    ("\\$1.50", ["1.50", "1.5", "\\$1.5"], ["\\$2"]),
    ("\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}", ["\\begin{pmatrix}1\\\\-2\\end{pmatrix}"],
     ["\\begin{pmatrix} -2 \\\\ 1 \\end{pmatrix}"]),
    ("3+4i", ["4i+3", "3 + 4i"], ["3-4i"]),
    ("\\sqrt[3]{2}", ["2^{1/3}", "\\sqrt[3] 2"], ["\\sqrt{2}"]),
    ("1011_2", ["1011_{2}"], ["1011"]),
    ("\\frac{1}{x-1}", ["\\frac{1}{-1+x}", "(x-1)^{-1}"], ["\\frac{1}{x+1}"]),
    ("k=6", ["6", "k = 6"], ["k=5"]),
    ("\\infty", ["\\infty"], ["-\\infty"]),
    ("\\frac{7}{2}", ["3.5", "3\\frac{1}{2}", "\\tfrac{7}{2}"], ["\\frac{2}{7}"]),
    ("120", ["120.", "120\\text{ ways}", "5!"], ["24"]),
    ("\\binom{5}{2}", ["10", "\\dbinom{5}{2}"], ["5"]),
    ("2^{10}", ["1024", "2^10"], ["20"]),
    ("\\sqrt{5}", ["\\sqrt5", "5^{1/2}", "2.236068"], ["5"]),
    ("4\\sqrt{2}-1", ["-1+4\\sqrt{2}", "4 \\sqrt{2} - 1"], ["4\\sqrt{2}+1"]),
    ("\\frac{5\\sqrt{3}}{3}", ["\\frac{5}{\\sqrt{3}}", "\\frac53\\sqrt3"], ["5\\sqrt{3}"]),
    ("6.25", ["\\frac{25}{4}", "6\\frac{1}{4}"], ["6.2"]),
    ("-\\frac{1}{2}", ["-0.5", "-.5"], ["\\frac{1}{2}"]),
    ("0", ["0.0", "-0"], ["1"]),
    ("3", ["3", "x=3", "\\boxed{3}"], ["\\frac{1}{3}"]),
    ("\\pi", ["\\pi", "3.141593"], ["3.14"]),
    ("2 \\pi r", ["2r\\pi", "2\\pi r"], ["\\pi r^2"]),
    ("e", ["e", "\\exp(1)"], ["2.7"]),
]

LEVELS = ["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]


def solution_for(i, gold):
    styles = [
        "We compute the value step by step and find that the answer is $\\boxed{%s}$.",
        "Combining the two cases, we get $x = 7 - 2$, so the final result is $\\boxed{%s}.$",
        "By symmetry the count is doubled.  Therefore, the answer is $\\boxed{%s}$.",
        "Note that $a+b=7$.\n\\begin{align*}\na&=3\\\\\nb&=4\n\\end{align*}So the answer is $\\boxed{%s}$.",
    ]
    return styles[i % len(styles)] % gold


def responses(gold, equivalents, wrongs):
    out = []
    out.append(("minerva_gold", f"We work it out carefully.\nFinal Answer: The final answer is ${gold}$. I hope it is correct."))
    out.append(("boxed_gold", f"Working through the algebra, the answer is $\\boxed{{{gold}}}$."))
    for k, e in enumerate(equivalents):
        out.append((f"minerva_equiv{k}", f"Some reasoning here.\nFinal Answer: The final answer is ${e}$. I hope it is correct."))
        out.append((f"boxed_equiv{k}", f"Thus the result is $\\boxed{{{e}}}$."))
    for k, w in enumerate(wrongs):
        out.append((f"minerva_wrong{k}", f"After simplifying, $a = 2$.\nFinal Answer: The final answer is ${w}$. I hope it is correct."))
        out.append((f"boxed_wrong{k}", f"So we get $\\boxed{{{w}}}$ as the answer."))
    out.append(("plain_gold", f"The answer is {gold}."))
    out.append(("dollar_only", f"${gold}$"))
    return out


EXTRA = [
    # (gold, response, note)
    ("5", "Final Answer: The final answer is $5$.", "no I hope"),
    ("5", "Final Answer: The final answer is $5$. I hope it is correct.\nFinal Answer: The final answer is $6$. I hope it is correct.", "two final answers"),
    ("5", "Final Answer: The final answer is $6$. I hope it is correct.\nFinal Answer: The final answer is $5$. I hope it is correct.", "two final answers, last right"),
    ("5", "final answer: the final answer is 5", "lower case"),
    ("5", "", "empty"),
    ("5", "   \n  ", "whitespace"),
    ("5", "The answer is \\boxed 5.", "boxed without braces"),
    ("5", "We get $\\fbox{5}$.", "fbox"),
    ("5", "First $\\boxed{4}$, then correcting, $\\boxed{5}$.", "two boxes, last right"),
    ("5", "First $\\boxed{5}$, then $\\boxed{4}$.", "two boxes, last wrong"),
    ("5", "Let $x = 2$ and $y = 3$, so $x + y = 5$.", "inline math"),
    ("5", "The answer is 5", "plain"),
    ("5", "Final Answer: The final answer is $5$.\nI hope it is correct.", "newline before I hope"),
    ("5", "Final Answer: The final answer is \u22125. I hope it is correct.", "unicode minus wrong"),
    ("-5", "Final Answer: The final answer is $\u22125$. I hope it is correct.", "unicode minus"),
    ("-5", "Final Answer: The final answer is $-5$. I hope it is correct.", "ascii minus"),
    ("5", "x" * 3000 + " so the answer is $\\boxed{5}$.", "very long"),
    ("5", ("We try again. " * 400) + "Final Answer: The final answer is $5$. I hope it is correct.", "very long minerva"),
    ("\\frac{1}{2}", "Final Answer: The final answer is $\\frac12$ I hope it is correct.", "no period"),
    ("\\frac{1}{2}", "Final Answer: The final answer is 1/2. I hope it is correct.", "no dollars"),
    ("\\frac{1}{2}", "The probability is $\\frac{1}{2}$.", "inline only"),
    ("\\frac{1}{2}", "The answer is: \\[\\frac{1}{2}\\]", "display bracket"),
    ("\\frac{1}{2}", "So $p = \\frac{1}{2}$ and the answer is $\\boxed{\\frac{1}{2}}$", "boxed frac"),
    ("\\frac{1}{2}", "$$\\frac{1}{2}$$", "display dollars"),
    ("(2,3)", "The point is $(2,3)$.", "inline tuple"),
    ("\\{1,2,3\\}", "$\\boxed{\\{3,2,1\\}}$", "set order"),
    ("5", "The answer is $\\boxed{\\text{5}}$.", "text number"),
    ("10", "It costs $\\$10$.", "currency"),
    ("10", "Final Answer: The final answer is \\$10. I hope it is correct.", "escaped dollar"),
    ("25", "Final Answer: The final answer is 25\\%. I hope it is correct.", "percent"),
    ("4", "Final Answer: The final answer is 4 I hope it is correct.", "no period no dollars"),
    ("1200", "Final Answer: The final answer is 1200 ", "trailing space"),
    ("8", "Final Answer: The final answer is $2^3$. I hope it is correct.", "power"),
    ("\\frac{\\sqrt{3}}{2}", "Final Answer: The final answer is $\\frac{\\sqrt3}2$. I hope it is correct.", "shorthand"),
    ("\\sqrt[3]{27}", "Final Answer: The final answer is $3$. I hope it is correct.", "cube root"),
    ("\\left(2,3\\right)", "Final Answer: The final answer is $(2,3)$. I hope it is correct.", "left right gold"),
    ("\\infty", "Final Answer: The final answer is $\\infty$. I hope it is correct.", "infinity v1"),
    ("1,3", "Final Answer: The final answer is $13$. I hope it is correct.", "list vs number"),
    ("0,1", "Final Answer: The final answer is $01$. I hope it is correct.", "list vs number 2"),
    ("\\tan x", "Final Answer: The final answer is $\\tan x$. I hope it is correct.", "tan"),
    ("2\\text{ ft}", "Final Answer: The final answer is $2$ ft. I hope it is correct.", "feet"),
    ("6\\text{ inches}", "Final Answer: The final answer is 6 inches. I hope it is correct.", "inches"),
    ("3.", "Final Answer: The final answer is $3$. I hope it is correct.", "gold with period"),
    ("\\frac{a}{b}", "Final Answer: The final answer is $a/b$. I hope it is correct.", "symbolic fraction"),
    ("x/2", "Final Answer: The final answer is $\\frac{x}{2}$. I hope it is correct.", "slash symbolic"),
    ("0.375", "Final Answer: The final answer is $.375$. I hope it is correct.", "leading dot"),
    ("0.375", "Final Answer: The final answer is $0.3750001$. I hope it is correct.", "near float"),
    ("\\frac{1}{221}", "Final Answer: The final answer is $0.004525$. I hope it is correct.", "rounded float"),
    ("25\\pi", "Final Answer: The final answer is $78.54$. I hope it is correct.", "pi float"),
    ("\\text{Devon}", "Final Answer: The final answer is Devon. I hope it is correct.", "name"),
    ("\\text{east}", "Final Answer: The final answer is $\\text{east}$. I hope it is correct.", "unit word"),
    ("5", "The answer is 5 apples.", "apples"),
    ("9", "Final Answer: The final answer is $9$ units. I hope it is correct.", "units"),
    ("\\$18.90", "The total is $\\boxed{\\$18.90}$.", "dollar gold"),
    ("7", "We have $7 - 2 = 5$, so the answer is 7.", "answer after equation"),
    ("2", "The answer: $x = 2$.", "answer colon"),
    ("\\frac{3}{5}", "Answer: 3/5", "answer colon plain"),
    ("x \\in [2, 5]", "Final Answer: The final answer is $[2,5]$. I hope it is correct.", "set membership gold"),
    ("a = 2, b = 3", "Final Answer: The final answer is $a=2,b=3$. I hope it is correct.", "two assignments"),
    ("\\boxed{5}", "$\\boxed{5}$", "nested box gold"),
]


def main():
    cases = []
    n = 0
    for gi, (gold, eq, wr) in enumerate(GOLDS):
        subject = SUBJECTS[gi % len(SUBJECTS)]
        level = LEVELS[gi % len(LEVELS)]
        solution = solution_for(gi, gold)
        for kind, response in responses(gold, eq, wr):
            cases.append({"id": f"c{n:04d}", "kind": kind, "subject": subject, "level": level,
                          "solution": solution, "response": response})
            n += 1
    for ei, (gold, response, note) in enumerate(EXTRA):
        subject = SUBJECTS[ei % len(SUBJECTS)]
        solution = solution_for(ei, gold)
        cases.append({"id": f"c{n:04d}", "kind": "edge: " + note, "subject": subject,
                      "level": "Level 5", "solution": solution, "response": response})
        n += 1
    # Solutions the references treat specially.
    special = [
        ("The value is \\boxed 3. And later $\\boxed{4}$.", "Final Answer: The final answer is $3$. I hope it is correct.", "boxed space gold"),
        ("The answer is $\\fbox{7}$.", "Final Answer: The final answer is $7$. I hope it is correct.", "fbox gold"),
        ("The answer is $\\boxed{\\frac{1}{2}$.", "Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct.", "unclosed gold"),
    ]
    for si, (solution, response, note) in enumerate(special):
        cases.append({"id": f"c{n:04d}", "kind": "gold: " + note, "subject": SUBJECTS[si],
                      "level": "Level 5", "solution": solution, "response": response})
        n += 1
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump({"note": "Invented MATH-style solutions and responses (no MATH data); see make_cases.py.",
                   "cases": cases}, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases")


if __name__ == "__main__":
    main()
