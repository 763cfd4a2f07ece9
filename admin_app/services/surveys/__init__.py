"""Satisfaction surveys: questionnaires, sampling, dispatch, answers, statistics."""
