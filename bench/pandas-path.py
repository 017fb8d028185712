#!/usr/bin/env python3
"""What a user does locally without the service: read a VLMEvalKit prediction .xlsx and the VAL
metadata TSV with pandas, infer each prediction's letter with the 2024 exact-matching rules
(VLMEvalKit's can_infer before c3371551; docs/gmai-mmbench.md §5) and take group means.

    python3 bench/pandas-path.py <predictions.xlsx> <GMAI-MMBench_VAL.meta.tsv>

Prints one JSON object: the overall accuracy and the means per `clinical VQA task`, `department`
and `perceptual granularity`. The bench times this process end to end (interpreter start and
imports included: that is what the user waits for) against one POST of the same file.
"""
import json
import sys

import pandas as pd

REFUSALS = [
    "Sorry, I can't help with images of people yet.",
    "I can't process this file.",
    "I'm sorry, but without the image provided",
    'Cannot determine the answer',
]
GROUP_COLUMNS = ['clinical VQA task', 'department', 'perceptual granularity']


def can_infer_option(prediction, choices):
    if 'Failed to obtain answer via API' in prediction:
        return False
    if any(refusal in prediction for refusal in REFUSALS):
        return 'Z'
    for char in '.()[],:;!*#{}':
        prediction = prediction.replace(char, ' ')
    tokens = prediction.split()
    found = [letter for letter in choices if letter in tokens]
    if len(found) == 1:
        return found[0]
    if not found and 'Z' in tokens:
        return 'Z'
    return False


def can_infer_text(prediction, choices):
    prediction = prediction.lower()
    found = [letter for letter, text in choices.items() if str(text).lower() in prediction]
    return found[0] if len(found) == 1 else False


def infer_letter(prediction, choices):
    prediction = str(prediction)
    return can_infer_option(prediction, choices) or can_infer_text(prediction, choices) or 'Z'


def main(xlsx_path, meta_path):
    predictions = pd.read_excel(xlsx_path)
    meta = pd.read_csv(meta_path, sep='\t')
    data = predictions[['index', 'prediction']].merge(meta, on='index', how='left', validate='one_to_one')
    hits = []
    for row in data.itertuples(index=False):
        row = row._asdict()
        choices = {letter: row[letter] for letter in 'ABCDE' if not pd.isna(row[letter])}
        hits.append(1 if infer_letter(row['prediction'], choices) == row['answer'] else 0)
    data['hit'] = hits
    report = {'Overall': float(data['hit'].mean())}
    for column in GROUP_COLUMNS:
        report[column] = {str(name): float(mean) for name, mean in data.groupby(column)['hit'].mean().items()}
    print(json.dumps(report))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
