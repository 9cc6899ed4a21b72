//! A faithful port of CPython's `random.Random` (MT19937): `seed(int)`,
//! `getrandbits`, `randint`/`randrange`/`_randbelow`, `choice`, `shuffle`,
//! `random`.
//!
//! Reference scorers draw from Python's `random` (MMLU-Pro's random fallback,
//! GPQA's option shuffle, MuSR's fallback). Reproducing them needs the same
//! stream bit for bit; this port follows CPython 3.11's `_randommodule.c` and
//! `random.py` and is tested against outputs of CPython itself.
//!
//! It is also the plugins' only source of randomness:
//! [`PyRandom::from_seed`] with the episode seed gives a stream that depends
//! on the run seed and the sample id only, never on run order, and that can
//! be replayed in Python as `random.Random(seed)`.

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// CPython's Mersenne Twister generator with `random.Random`'s methods.
#[derive(Clone)]
pub struct PyRandom {
    state: [u32; N],
    index: usize,
}

impl std::fmt::Debug for PyRandom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyRandom")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl PyRandom {
    /// `random.Random(seed)` for a non-negative integer seed: the seed's
    /// 32-bit words, least significant first, go to `init_by_array`
    /// (`seed(0)` uses the key `[0]`).
    pub fn from_seed(seed: u64) -> PyRandom {
        let lo = seed as u32;
        let hi = (seed >> 32) as u32;
        if hi == 0 {
            PyRandom::from_key(&[lo])
        } else {
            PyRandom::from_key(&[lo, hi])
        }
    }

    /// `random.Random(seed)` for any integer that fits in 64 bits; Python
    /// seeds with the absolute value, so `-5` and `5` give the same stream.
    pub fn from_i64_seed(seed: i64) -> PyRandom {
        PyRandom::from_seed(seed.unsigned_abs())
    }

    /// MT19937 `init_by_array(key)`, as CPython's `random_seed` calls it.
    pub fn from_key(key: &[u32]) -> PyRandom {
        let mut r = PyRandom::init_genrand(19_650_218);
        let mt = &mut r.state;
        let key_len = key.len().max(1);
        let mut i: usize = 1;
        let mut j: usize = 0;
        let mut k = N.max(key_len);
        while k > 0 {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30);
            let kj = key.get(j).copied().unwrap_or(0);
            mt[i] = (mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(kj)
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key_len {
                j = 0;
            }
            k -= 1;
        }
        k = N - 1;
        while k > 0 {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30);
            mt[i] = (mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            k -= 1;
        }
        mt[0] = 0x8000_0000;
        r
    }

    fn init_genrand(s: u32) -> PyRandom {
        let mut state = [0u32; N];
        state[0] = s;
        for i in 1..N {
            state[i] = 1_812_433_253u32
                .wrapping_mul(state[i - 1] ^ (state[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        PyRandom { state, index: N }
    }

    /// The next raw 32-bit output (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        let mt = &mut self.state;
        let mag = |y: u32| if y & 1 == 1 { MATRIX_A } else { 0 };
        for kk in 0..N - M {
            let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag(y);
        }
        for kk in N - M..N - 1 {
            let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M - N] ^ (y >> 1) ^ mag(y);
        }
        let y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag(y);
        self.index = 0;
    }

    /// `getrandbits(k)` for `k <= 128`: 32-bit words drawn least
    /// significant first, the last one shifted right to keep `k` bits.
    ///
    /// # Panics
    /// Panics when `k > 128`.
    pub fn getrandbits(&mut self, k: u32) -> u128 {
        assert!(k <= 128, "getrandbits supports at most 128 bits here");
        if k == 0 {
            return 0;
        }
        if k <= 32 {
            return u128::from(self.next_u32() >> (32 - k));
        }
        let mut out: u128 = 0;
        let mut left = k;
        let mut shift = 0;
        while left > 0 {
            let mut r = self.next_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            out |= u128::from(r) << shift;
            shift += 32;
            left = left.saturating_sub(32);
        }
        out
    }

    /// `_randbelow(n)` (`_randbelow_with_getrandbits`): draws
    /// `getrandbits(n.bit_length())` until the value is below `n`.
    /// Note that `n = 4` draws 3 bits. `n = 0` returns 0 without drawing.
    pub fn randbelow(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k) as u64;
            if r < n {
                return r;
            }
        }
    }

    /// `randrange(start, stop)` with step 1: `start + _randbelow(stop - start)`.
    ///
    /// # Panics
    /// Panics when `stop <= start` (Python raises `ValueError`).
    pub fn randrange(&mut self, start: i64, stop: i64) -> i64 {
        assert!(stop > start, "empty range for randrange({start}, {stop})");
        let width = (stop as i128 - start as i128) as u64;
        (start as i128 + self.randbelow(width) as i128) as i64
    }

    /// `randint(a, b)`: a value in `a..=b`, i.e. `randrange(a, b + 1)`.
    ///
    /// # Panics
    /// Panics when `b < a` (Python raises `ValueError`).
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        self.randrange(a, b + 1)
    }

    /// `choice(seq)`: `seq[_randbelow(len(seq))]`, `None` for an empty slice
    /// (Python raises `IndexError` without drawing).
    pub fn choice<'a, T>(&mut self, seq: &'a [T]) -> Option<&'a T> {
        if seq.is_empty() {
            return None;
        }
        let i = self.randbelow(seq.len() as u64) as usize;
        seq.get(i)
    }

    /// `shuffle(x)` in place: for `i` from `len - 1` down to 1, swap `x[i]`
    /// with `x[_randbelow(i + 1)]`.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.randbelow(i as u64 + 1) as usize;
            x.swap(i, j);
        }
    }

    /// `random()`: a float in `[0, 1)` with 53 random bits.
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) * (1.0 / 9_007_199_254_740_992.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every expected value below was printed by CPython 3.11.7.

    #[test]
    fn seed_12345_getrandbits_32() {
        let mut r = PyRandom::from_seed(12345);
        let got: Vec<u128> = (0..5).map(|_| r.getrandbits(32)).collect();
        assert_eq!(
            got,
            [1789368711, 3146859322, 43676229, 3522623596, 3544234957]
        );
    }

    #[test]
    fn seed_zero_and_wide_seeds() {
        let mut r = PyRandom::from_seed(0);
        let got: Vec<u128> = (0..3).map(|_| r.getrandbits(32)).collect();
        assert_eq!(got, [3626764237, 1654615998, 3255389356]);
        let mut r = PyRandom::from_seed((1 << 40) + 7);
        let got: Vec<u128> = (0..3).map(|_| r.getrandbits(32)).collect();
        assert_eq!(got, [2635837658, 3209733218, 3500038837]);
        let mut r = PyRandom::from_seed(u64::MAX);
        let got: Vec<u128> = (0..3).map(|_| r.getrandbits(32)).collect();
        assert_eq!(got, [93740670, 1068495656, 1452108352]);
        let mut r = PyRandom::from_i64_seed(-5);
        let got: Vec<u128> = (0..2).map(|_| r.getrandbits(32)).collect();
        assert_eq!(got, [2675342405, 1097127993]);
    }

    #[test]
    fn getrandbits_wide_and_narrow() {
        // random.Random(42): getrandbits(64), (1), (33), (100)
        let mut r = PyRandom::from_seed(42);
        assert_eq!(r.getrandbits(64), 2053695854357871005);
        assert_eq!(r.getrandbits(1), 0);
        assert_eq!(r.getrandbits(33), 3184935163);
        assert_eq!(r.getrandbits(100), 882565121070403957190206503824);
        assert_eq!(r.getrandbits(0), 0);
    }

    #[test]
    fn randint_streams() {
        let mut r = PyRandom::from_seed(12345);
        let got: Vec<i64> = (0..10).map(|_| r.randint(0, 9)).collect();
        assert_eq!(got, [6, 0, 4, 5, 3, 4, 9, 6, 2, 5]);
        let mut r = PyRandom::from_seed(12345);
        let got: Vec<i64> = (0..10).map(|_| r.randint(0, 3)).collect();
        assert_eq!(got, [3, 0, 2, 2, 1, 2, 3, 1, 2, 0]);
        let mut r = PyRandom::from_seed(12345);
        let got: Vec<i64> = (2..=10).map(|n| r.randint(0, n - 1)).collect();
        assert_eq!(got, [1, 2, 0, 2, 2, 1, 4, 6, 2]);
        let mut r = PyRandom::from_seed(99);
        let got: Vec<i64> = (0..4).map(|_| r.randrange(0, 1_000_003)).collect();
        assert_eq!(got, [423601, 399248, 209794, 628557]);
    }

    #[test]
    fn reseeded_randint_constants() {
        // Old MMLU-Pro scripts re-seed 12345 before every draw.
        let got: Vec<i64> = (2..=10)
            .map(|n| PyRandom::from_seed(12345).randint(0, n - 1))
            .collect();
        assert_eq!(got, [1, 1, 3, 3, 3, 3, 6, 6, 6]);
    }

    #[test]
    fn shuffle_choice_random() {
        let mut r = PyRandom::from_seed(42);
        let mut x: Vec<u32> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, [7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
        let mut r = PyRandom::from_seed(7);
        let letters: Vec<char> = "ABCDEFGHIJ".chars().collect();
        let got: String = (0..8).map(|_| *r.choice(&letters).unwrap()).collect();
        assert_eq!(got, "FCGABIBF");
        let mut r = PyRandom::from_seed(7);
        assert_eq!(r.random(), 0.32383276483316237);
        assert_eq!(r.random(), 0.15084917392450192);
        assert_eq!(r.random(), 0.6509344730398537);
        assert!(r.choice::<u8>(&[]).is_none());
    }
}
