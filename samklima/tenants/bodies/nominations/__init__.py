"""Nomination requests, a sub-domain of the groups: a group asks the head of an
organisation to appoint representatives, who answers from a link without an account.

operations (every rule and write), queries, views (two blueprints: the group's
request pages under /<slug>, and the public link), forms, templates and e-mails.
The groups domain registers it (bodies.register).
"""
