//! Wrap and unwrap of a 32-byte DEK against the floor: a raw AES-256-GCM seal/open with a
//! pre-expanded key and a fresh random nonce, measured in the same run. The target (issue
//! "Benchmarks") is envelope ≥ 0.8× raw; docs/benchmarks.md records the ratios.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::RngCore;
use std::hint::black_box;
use strongroom_core::envelope::{self, Envelope};
use strongroom_core::{KeyMaterial, KeyVersionId};

const DEK: [u8; 32] = [7; 32];
const AAD: [&str; 2] = ["tenant=acme", "bucket=invoices"];

fn wrap(c: &mut Criterion) {
    let raw = Aes256Gcm::new_from_slice(&[9u8; 32]).unwrap();
    let material = KeyMaterial::generate().unwrap();
    let version = KeyVersionId::random();

    let mut group = c.benchmark_group("wrap-32B-dek");
    group.throughput(Throughput::Elements(1));
    group.bench_function("raw-aes256gcm-seal", |b| {
        b.iter(|| {
            let mut nonce = [0u8; 12];
            rand::rng().fill_bytes(&mut nonce);
            raw.encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: black_box(&DEK),
                    aad: b"",
                },
            )
            .unwrap()
        })
    });
    group.bench_function("envelope-wrap", |b| {
        b.iter(|| envelope::wrap(&material, version, black_box(&DEK), &[] as &[&str]).unwrap())
    });
    group.bench_function("envelope-wrap-2-aad", |b| {
        b.iter(|| envelope::wrap(&material, version, black_box(&DEK), &AAD).unwrap())
    });
    group.finish();
}

fn unwrap(c: &mut Criterion) {
    let raw = Aes256Gcm::new_from_slice(&[9u8; 32]).unwrap();
    let nonce = [3u8; 12];
    let sealed = raw
        .encrypt(Nonce::from_slice(&nonce), DEK.as_slice())
        .unwrap();
    let material = KeyMaterial::generate().unwrap();
    let ciphertext = envelope::wrap(&material, KeyVersionId::random(), &DEK, &AAD).unwrap();
    let bare = envelope::wrap(&material, KeyVersionId::random(), &DEK, &[] as &[&str]).unwrap();

    let mut group = c.benchmark_group("unwrap-32B-dek");
    group.throughput(Throughput::Elements(1));
    group.bench_function("raw-aes256gcm-open", |b| {
        b.iter(|| {
            raw.decrypt(Nonce::from_slice(&nonce), black_box(sealed.as_slice()))
                .unwrap()
        })
    });
    group.bench_function("envelope-unwrap", |b| {
        b.iter(|| {
            Envelope::parse(black_box(&bare))
                .unwrap()
                .open(&material, &[] as &[&str])
                .unwrap()
        })
    });
    group.bench_function("envelope-unwrap-2-aad", |b| {
        b.iter(|| {
            Envelope::parse(black_box(&ciphertext))
                .unwrap()
                .open(&material, &AAD)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, wrap, unwrap);
criterion_main!(benches);
