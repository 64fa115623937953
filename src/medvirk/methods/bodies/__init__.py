"""Councils and committees (råd og utval): bodies, members, meetings and statements."""
