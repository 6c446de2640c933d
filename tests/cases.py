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
1.3e-5; gradients over 250 steps reach 1e-3). No absolute bound between two float32 runs holds there, and neither does
a multiple of Keras' distance to float64: a whole run's distance is decided by the few early roundings the weights
amplify most, one random number per run, and the ratio of two such numbers has a heavy tail (over 69 chaotic draws
on one machine, numpy was up to 8.4 times further from float64 than Keras, and Keras up to 9 times further than numpy;
median ratio 0.87). What holds on any machine is the accuracy of every step, which nothing amplifies: each h_t and
C_t of our run must be as close to one exact step (Keras in float64) from our own h_{t-1}, C_{t-1} as Keras' float32
step from the same state is (one_step_each). A run whose every step is exact to float32 rounding is an exact run of
the layer perturbed by rounding, which is all a float32 implementation can promise. Such a distance is a maximum over
batch * time * units roundings, so it is stable: 1e-7 to 1e-6 for both, ratio at most 1.6 over 30 chaotic draws.
CHAOS_FACTOR = 4 covers our gates (exp-based: an absolute error of an ulp where tanh's is relative) and that spread;
CHAOS_FLOOR = 1e-6 (8 ulps of 1) covers runs so short that the maximum is over a handful of numbers and the ratio is
noise. The backward pass is checked the same way, one backward step from every state the run visits, against ours in
float64 (which central differences pin to the true gradient); its weight gradients sum up to batch * time = 1750 rows
here, typically sqrt(1750) * 6e-8 ~ 2.5e-6 of rounding, so GRAD_FLOOR = 1e-5.
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


def one_step_each(x, params, hs, cs, state=None):
    """Inputs for one step from every `(h_{t-1}, C_{t-1})` of a run: `x` `(batch, time, input_dim)` becomes
    `(batch·time, 1, input_dim)`, the states before each step `(batch·time, units)`, so that one call of a layer
    takes every step of the run once, each from the run's own state."""
    batch, time, units = hs.shape
    h0, c0 = (np.zeros((batch, units), hs.dtype),) * 2 if state is None else state
    prev_h = np.concatenate([h0[:, None], hs[:, :-1]], axis=1).reshape(-1, units)
    prev_c = np.concatenate([c0[:, None], cs[:, :-1]], axis=1).reshape(-1, units)
    return x.reshape(batch * time, 1, -1), params, (prev_h, prev_c)
