"""Measuring pages: fill in, review, finalise, reopen, history."""

urlpatterns: list = []
