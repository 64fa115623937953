"""The council report: a case's whole participation record in one PDF for the saksframlegg.

``content.build`` gathers it (the plan and what was done, who took part against the
population, the themes with examples and answers, each method's results through
``MethodPlugin.report_section``, the answers, the decisions, and every published input with
its answer as an appendix); ``document`` renders it as tagged HTML and PDF in the
municipality's language; ``archive`` packs the PDF as an arkivmelding for the kommune's
archive. Everything in it is public: the report goes to the council and into the public
journal, so it holds only what the case's public pages hold, with every count of people
under 5 suppressed.
"""
