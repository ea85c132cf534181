"""How many threads NumPy's BLAS may use.

The course multiplies tiny matrices (a few hundred rows, 64 columns). Splitting such a
product across threads costs more than it saves, and on a busy machine the threads wait
for each other: a 0.2 s retrain of a lesson widget became 1 to 5 s on a loaded 2-core
machine, the capstone's training 188 s instead of 1.4 s. Lessons that train many small
networks therefore call ``limit_blas_threads(1)`` once, at the top.
"""


def limit_blas_threads(n=1):
    """Ask NumPy's BLAS to use ``n`` threads (via threadpoolctl); returns True if it could."""
    from threadpoolctl import threadpool_limits

    limits = threadpool_limits(limits=int(n), user_api="blas")
    return bool(limits.get_original_num_threads())
