"""The exercises of lesson 11 (autograd): the backward rules of ``*``, ``tanh`` and ``**``, and the
topological sort. The solution scores full marks, a blank scores 0, each plausible wrong answer
loses points with its hint, and the inputs cross to the grader's kernel (they pickle)."""
import math
import pickle
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib import checks
from course_lib.autograd import Value
from course_lib.checks import _call, _core, lesson11

from helpers import check_result, exercise, solution_namespace, solution_path

ROOT = Path(__file__).resolve().parent.parent
LESSON = 11
EXERCISES = [("mul_backward", 2), ("tanh_backward", 2), ("pow_backward", 2), ("topological_sort", 3)]


def result(name, fn):
    with np.errstate(all="ignore"):
        return check_result(LESSON, name, fn)


# ------------------------------------------------------------------------------------------
# registered, stated in the notebook, solved by the solution, blank scores 0, answers hidden
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, points", EXERCISES)
def test_registered_stated_and_solved(name, points):
    ex = exercise(LESSON, name)
    assert ex.points == points and ex.function == name
    assert callable(getattr(checks.load_lesson(LESSON), f"check_{name}"))
    nb = nbformat.read(solution_path(LESSON), as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert f"`{name}`" in text and f"({points} points)" in text
    assert f"lesson11.check_{name}({name})" in text
    r = result(name, solution_namespace(LESSON)[name])
    assert r.passed and r.points == points, r.message


def test_the_solution_scores_full_marks_in_check_all(capsys):
    lesson11.check_all(solution_namespace(LESSON))
    assert capsys.readouterr().out.endswith("score: 9 / 9 points\n")


@pytest.mark.parametrize("name, points", EXERCISES)
def test_a_blank_scores_zero(name, points):
    def blank(*args, **kwargs):
        raise NotImplementedError()
    r = result(name, blank)
    assert r.status == "not_attempted" and r.points == 0


@pytest.mark.parametrize("name, points", EXERCISES)
def test_no_answer_in_the_lesson_or_the_exercise_notebook(name, points):
    lesson_text = (ROOT / "text" / "notebooks" / "11_autograd.py").read_text()
    assert f"def {name}(" not in lesson_text
    nb = nbformat.read(ROOT / "exercises" / "11_autograd_exercises.ipynb", as_version=4)
    cell = next(c.source for c in nb.cells if f"def {name}(" in c.source)
    body = cell.split('"""', 2)[2]
    assert body.split() == ["#", "YOUR", "CODE", "HERE", "raise", "NotImplementedError()"], cell


def test_every_input_pickles_and_keeps_shared_values_shared():
    """The grader pickles the inputs to the learner's kernel: ``a * a`` must stay one Value."""
    for name, _ in EXERCISES:
        for case in _core.build_cases(exercise(LESSON, name)):
            args = pickle.loads(pickle.dumps(case.args))
            assert len(args) == len(case.args)
    shared = [c for c in _core.build_cases(exercise(LESSON, "mul_backward")) if c.args[1] is c.args[2]]
    assert len(shared) == 1
    out, a, b = pickle.loads(pickle.dumps(shared[0].args))
    assert a is b
    answer = _call.call_case(solution_namespace(LESSON)["mul_backward"], shared[0].args, watch=())
    assert answer["status"] == "ok"


def test_the_expected_answers_are_the_librarys_own_gradients():
    """Each case's expected answer is what course_lib.autograd's backward pass adds."""
    for case in _core.build_cases(exercise(LESSON, "mul_backward")):
        out, a, b = case.args
        x, y = Value(a.data), (None if a is b else Value(b.data))
        z = x * x if y is None else x * y
        z.grad = out.grad
        z._backward()
        want = (a.grad + x.grad, a.grad + x.grad) if y is None else (a.grad + x.grad, b.grad + y.grad)
        assert case.verify(want) is None, case.inputs
    for op, name in [(lambda v, n: v.tanh(), "tanh_backward"), (lambda v, n: v ** n, "pow_backward")]:
        for case in _core.build_cases(exercise(LESSON, name)):
            out, x, *n = case.args
            v = Value(x.data)
            z = op(v, n[0] if n else None)
            assert z.data == pytest.approx(out.data, rel=1e-15)
            z.grad = out.grad
            z._backward()
            assert case.verify(x.grad + v.grad) is None, case.inputs


# ------------------------------------------------------------------------------------------
# plausible wrong answers lose points, each with its hint
# ------------------------------------------------------------------------------------------
def _mul(overwrite=False, chain=True, swap=False, pure=False):
    def mul_backward(out, a, b):
        g = out.grad if chain else 1.0
        share_a, share_b = (a.data, b.data) if swap else (b.data, a.data)
        if pure:                                     # computes the sums, never updates the Values
            return a.grad + share_a * g, b.grad + share_b * g
        if overwrite:
            a.grad = share_a * g
            b.grad = share_b * g
        else:
            a.grad += share_a * g
            b.grad += share_b * g
        return a.grad, b.grad
    return mul_backward


def _tanh(formula, overwrite=False):
    def tanh_backward(out, x):
        share = formula(out, x)
        if overwrite:
            x.grad = share
        else:
            x.grad += share
        return x.grad
    return tanh_backward


def _pow(formula, overwrite=False):
    def pow_backward(out, x, n):
        share = formula(out, x, n)
        if overwrite:
            x.grad = share
        else:
            x.grad += share
        return x.grad
    return pow_backward


def _bfs(root, inputs):
    """Breadth-first from the root, reversed: wrong when a node is used at two depths."""
    order, seen, i = [root], {root}, 0
    while i < len(order):
        for child in inputs[order[i]]:
            if child not in seen:
                seen.add(child)
                order.append(child)
        i += 1
    return order[::-1]


def _dfs(visited_set=True, reverse=False, recursive=True):
    def topological_sort(root, inputs):
        order, visited = [], set()

        def visit(node):
            if visited_set and node in visited:
                return
            visited.add(node)
            for child in (inputs[node] if recursive else []):
                visit(child)
            order.append(node)

        visit(root)
        if not recursive:
            for child in inputs[root]:
                if child not in visited:
                    visited.add(child)
                    order.insert(0, child)
        return order[::-1] if reverse else order
    return topological_sort


def _root_then_inputs(root, inputs):
    """Pre-order (a node before its inputs)."""
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            order.append(node)
            for child in inputs[node]:
                visit(child)
    visit(root)
    return order


WRONG = [
    # (lesson, exercise, wrong function, the hint it must get)
    (11, "mul_backward", _mul(overwrite=True), "accumulate: write x.grad += ..., not x.grad = ..."),
    (11, "mul_backward", _mul(chain=False), "multiply the local derivative by out.grad (the chain rule)"),
    (11, "mul_backward", _mul(swap=True), "d(a * b)/da = b"),
    (11, "mul_backward", _mul(pure=True), "a and b are the same Value here (out = a * a)"),
    (11, "tanh_backward", _tanh(lambda out, x: (1 - out.data ** 2) * out.grad, overwrite=True), "accumulate"),
    (11, "tanh_backward", _tanh(lambda out, x: 1 - out.data ** 2), "(the chain rule)"),
    (11, "tanh_backward", _tanh(lambda out, x: (1 - x.data ** 2) * out.grad), "square the OUTPUT, not the input x"),
    (11, "tanh_backward", _tanh(lambda out, x: (1 - math.tanh(out.data) ** 2) * out.grad), "do not apply tanh again"),
    (11, "tanh_backward", _tanh(lambda out, x: (1 - out.data) * out.grad), "square the output"),
    (11, "tanh_backward", _tanh(lambda out, x: (out.data ** 2 - 1) * out.grad), "the sign is wrong"),
    (11, "pow_backward", _pow(lambda out, x, n: n * x.data ** (n - 1) * out.grad, overwrite=True), "accumulate"),
    (11, "pow_backward", _pow(lambda out, x, n: n * x.data ** (n - 1)), "(the chain rule)"),
    (11, "pow_backward", _pow(lambda out, x, n: n * x.data ** n * out.grad), "lowers the exponent by one"),
    (11, "pow_backward", _pow(lambda out, x, n: x.data ** (n - 1) * out.grad), "keep the factor n"),
    (11, "pow_backward", _pow(lambda out, x, n: (n - 1) * x.data ** (n - 1) * out.grad), "the factor is n"),
    (11, "topological_sort", _bfs, "append a node only after ALL of its inputs"),
    (11, "topological_sort", _dfs(visited_set=False), "list each node once"),
    (11, "topological_sort", _dfs(reverse=True), "the root must come LAST"),
    (11, "topological_sort", _root_then_inputs, "the root must come LAST"),
    (11, "topological_sort", _dfs(recursive=False), "visit the inputs of the inputs too"),
]


@pytest.mark.parametrize("lesson, name, fn, hint", WRONG, ids=[f"{w[1]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answers_lose_points_with_their_hint(lesson, name, fn, hint):
    r = result(name, fn)
    assert not r.passed and r.points < exercise(lesson, name).points, r.message
    assert r.points == _core.partial_points(exercise(lesson, name).points, r.n_passed, r.n_tests)
    assert "input:" in r.message and hint in r.message, r.message


def test_only_the_shared_case_catches_a_rule_that_never_updates_the_values():
    r = result("mul_backward", _mul(pure=True))
    assert (r.n_passed, r.n_tests, r.points) == (5, 6, 1.6), r.message
    assert "the SAME Value" in r.message


def test_wrong_types_are_named():
    r = result("topological_sort", lambda root, inputs: {root})
    assert "a list of node names" in r.message
    r = result("tanh_backward", lambda out, x: [x.grad])
    assert "one number (a float)" in r.message


def test_changing_the_graph_is_an_error_for_topological_sort():
    def greedy(root, inputs):
        order = _dfs()(root, inputs)
        inputs.clear()
        return order
    r = result("topological_sort", greedy)
    assert not r.passed and "changed its input" in r.message



def test_the_lesson_does_not_show_the_library_code_of_the_exercises():
    """The lesson may print library source (it shows ``__add__``), but not the backward rules
    the learner writes: no line of the library's product, power or tanh rule, nor of its
    topological sort, appears in the lesson's cells or stored outputs."""
    import inspect

    from course_lib import autograd

    answers = [line.strip() for f in (Value.__mul__, Value.__pow__, Value.tanh)
               for line in inspect.getsource(f).splitlines() if "grad +=" in line or "lambda" in line]
    answers += [line.strip() for line in inspect.getsource(autograd.topological_order).splitlines()
                if line.strip().startswith(("order.append", "stack.extend", "visited.add"))]
    assert len(answers) >= 6, answers
    nb = nbformat.read(ROOT / "notebooks" / "11_autograd.ipynb", as_version=4)
    shown = [cell.source for cell in nb.cells]
    shown += [out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
              for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    leaked = [a for a in answers if any(a in text for text in shown)]
    assert not leaked, f"the lesson shows the exercises' answers: {leaked}"
