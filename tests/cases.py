"""The weights the parity tests draw (as Keras initialises them, and chaotic ones), and why their tolerances hold on
any processor, BLAS, thread count and TensorFlow build.

float32 rounds every operation to a relative 2**-24 ~ 6e-8. One step's gate pre-activations are sums of
input_dim + units + 1 products of size O(1), added in an order that depends on the BLAS (numpy) or oneDNN/Eigen
(TensorFlow) kernel, its blocking and the CPU's vector width; then come exp or tanh, whose float32 implementations
differ by an ulp or two. So two implementations differ by a few ulps per step: about sqrt(81) * 6e-8 * |z| ~ 1e-6 at
most for the <= 81 terms of these tests and pre-activations |z| of a few units, less after the squashing. What happens
to these differences over time depends only on the weights.

Weights as Keras initialises them (orthogonal recurrent_kernel, norm 1; gate slopes <= 1/4 for sigmoid and <= 1 for
tanh; a forget gate below 1 on the cell state): a difference made at one step is damped at the next, so after any
number of steps |numpy - Keras| stays at the size of a few steps' rounding, 1e-7 to 1e-6, not T times it. H_ATOL = 1e-5
on h (|h| < 1) is ten times that. C is a sum over steps and can grow past 1, and float32 keeps about 7 significant
digits of it, so its bound is H_ATOL relative to its size. A gradient of the weights is a sum of batch * time <= 480
products: float32 rounding of such a sum is at most 480 * 6e-8 ~ 3e-5 of the sum of their sizes (when every rounding
points the same way), typically sqrt(480) * 6e-8 ~ 1.3e-6; GRAD_RTOL = 1e-4 on rel_error covers even the worst case.

N(0, 0.5) in every matrix (chaotic_case): the recurrence is chaotic. A difference grows by a roughly constant factor
per step, and the 1e-7 of one step becomes 1e-5 or more after ~100 steps, whoever computes it (in the forward case
(6, 97, 1, 52) of test_lstm.py, numpy float32 was 1.4e-5 to 2.4e-5 from float64 depending on the machine, Keras
1.3e-5; gradients over 250 steps reach 1e-3). No absolute bound between two float32 results holds there. What does
hold: both start from rounding of the same size, and the weights amplify it by the same factor, so each is the same
order of distance from the exact result. The exact result is our layer in float64 (equal to Keras in float64 to 1e-12
and to central differences to 1e-6; its own rounding, 1e-16 amplified the same way, is negligible). Ours must be
within CHAOS_FACTOR = 4 times Keras' distance: 4 covers our gates (exp-based: an absolute error of an ulp where tanh's
is relative) and the spread between draws (over 87 forward draws on one machine the ratio stayed below 2 wherever
Keras was more than 1e-6 away). The floor covers draws too short or tame to amplify anything, where both distances
are rounding and their ratio is noise: CHAOS_FLOOR = 1e-6 (8 ulps of 1) for h and C, GRAD_FLOOR = 1e-5 for gradients
(eight times the typical rounding of a 480-term sum above).
"""
import numpy as np

from lstm_book.lstm import LSTMParams

H_ATOL, GRAD_RTOL = 1e-5, 1e-4
CHAOS_FACTOR, CHAOS_FLOOR, GRAD_FLOOR = 4, 1e-6, 1e-5


def random_params(rng, input_dim, units, dtype=np.float32, scale=0.5):
    shapes = [(input_dim, 4 * units), (units, 4 * units), (4 * units,)]
    return LSTMParams(*(rng.normal(0, scale, s).astype(dtype) for s in shapes))


def keras_like_case(rng, batch, time, input_dim, units, with_state=True):
    "Weights as Keras initialises them, with a bias, an input and an initial state of the size a trained layer sees."
    params = LSTMParams.init(input_dim, units, seed=int(rng.integers(2 ** 31)))  # glorot-uniform, orthogonal
    params.bias += rng.normal(0, 0.5, params.bias.shape).astype(np.float32)  # Keras' zeros would hide a wrong layout
    x = rng.standard_normal((batch, time, input_dim)).astype(np.float32)
    state = ((np.tanh(rng.standard_normal((batch, units))).astype(np.float32),  # a hidden state lies in (-1, 1)
              rng.standard_normal((batch, units)).astype(np.float32)) if with_state else None)
    return params, x, state


def chaotic_case(rng, batch, time, input_dim, units, with_state=True):
    "N(0, 0.5) in every weight: a recurrence that amplifies any difference between two runs step after step."
    params = random_params(rng, input_dim, units)
    x = rng.standard_normal((batch, time, input_dim)).astype(np.float32)
    state = tuple(rng.standard_normal((batch, units)).astype(np.float32) for _ in range(2)) if with_state else None
    return params, x, state


def in_float64(x, params, state=None):
    "`(x, params, state)` in float64: the arguments of the exact reference run."
    return x.astype(np.float64), params.astype(np.float64), None if state is None else tuple(s.astype(np.float64) for s in state)


def distance(a, b): return float(np.abs(a - b).max())
