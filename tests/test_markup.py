"""markup.py's limits, without a service: what is past them is shown as escaped text, not parsed
(the escaping itself is tested through the pages in test_service_grading_pages.py)."""

from __future__ import annotations

from grader.service import markup


def test_a_text_over_the_limit_is_plain_escaped_text():
    long = "<b>" + "[" * markup.MAX_MARKDOWN
    assert str(markup.markdown(long)).startswith('<pre class="long">&lt;b&gt;[[[')
    assert str(markup.markdown("*a*")) == "<p><em>a</em></p>\n"


def test_a_page_stops_parsing_markdown_past_its_budget():
    page = markup.renderer()
    cell = "*x* " * (markup.MAX_MARKDOWN // 4 - 1)
    shown = [str(page.markdown(cell)) for _ in range(markup.MAX_PAGE_MARKDOWN // len(cell) + 2)]
    parsed = [s for s in shown if s.startswith("<p><em>")]
    assert len(parsed) == markup.MAX_PAGE_MARKDOWN // len(cell)
    assert shown[-1].startswith('<pre class="long">*x*')


def test_formulas_past_the_budget_or_too_long_stay_source():
    many = str(markup.markdown("$a$ " * (markup.MAX_FORMULAS + 3)))
    assert many.count("<math") == markup.MAX_FORMULAS and many.count('<code class="tex">a</code>') == 3
    long = "$" + "a+" * (markup.MAX_FORMULA // 2) + "b$"
    assert '<code class="tex">a+a+' in str(markup.markdown(long))


def test_mathml_keeps_only_listed_elements_and_attributes():
    dirty = (
        '<math display="block" href="javascript:x" onload="y"><mi style="a">x</mi><script>z</script></math>'
    )
    assert markup.clean_mathml(dirty) == '<math display="block"><mi>x</mi>z</math>'


def test_each_text_counts_at_least_its_fixed_cost_against_the_budget():
    page = markup.renderer()
    shown = [str(page.markdown("x")) for _ in range(markup.MAX_PAGE_MARKDOWN // markup.MIN_TEXT_COST + 1)]
    assert shown[0] == "<p>x</p>\n" and shown[-2] == "<p>x</p>\n"
    assert shown[-1] == '<pre class="long">x</pre>'


def test_a_formula_cannot_ask_for_a_size_that_covers_the_page():
    shown = str(markup.markdown(r"$a\hspace{9999em}b\mspace{-50em}c\hspace{3em}d$"))
    assert "9999" not in shown and "-50em" not in shown and 'width="3em"' in shown
    assert markup.modest("20em") and markup.modest("veryverythickmathspace") and markup.modest("150%")
    assert not markup.modest("321pt") and not markup.modest("2001%") and not markup.modest("-21em")
