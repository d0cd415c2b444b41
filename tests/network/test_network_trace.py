"""trace() and parse_layer(): shapes, derivations, counts and errors a student sees."""

from __future__ import annotations

import pytest

from convtui.core.network import parse_layer, trace
from convtui.core.spec import parse_spec


def layers(*specs: dict) -> list:
    return [parse_layer(spec) for spec in specs]


def spec_trace(text: str):
    spec = parse_spec(text)
    return trace(spec.input_shape, spec.layers)


def test_lecture_two_layers() -> None:
    result = trace([1, 1, 28, 28], layers(
        {"type": "conv2d", "kernel": 5, "out_channels": 5},
        {"type": "maxpool2d", "kernel": 2},
    ))
    assert result.error is None
    assert [row.out_shape for row in result.rows] == [(1, 5, 24, 24), (1, 5, 12, 12)]
    conv, pool = result.rows
    assert conv.description == "Conv2d(1, 5, kernel_size=(5, 5), stride=(1, 1))"
    assert conv.label == "conv 5x5 s1 p0"
    assert conv.explanations["H"].text == "(28 - 5 + 2×0) / 1 + 1 = 23 / 1 + 1 = 24"
    assert pool.description == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
    assert pool.label == "maxpool 2x2 s2"
    assert conv.params == 5 * 5 * 5 + 5 and pool.params == 0
    assert result.output_shape == (1, 5, 12, 12)
    assert (conv.receptive_field, conv.jump) == ((5, 5), (1, 1))
    assert (pool.receptive_field, pool.jump) == ((6, 6), (2, 2))


def test_rank_is_kept_for_board_form_and_unbatched_inputs() -> None:
    conv = layers({"type": "conv2d", "kernel": 3, "stride": 2})
    assert trace([7, 7], conv).output_shape == (3, 3)
    with_channels = layers({"type": "conv2d", "kernel": 3, "stride": 2, "out_channels": 4})
    assert trace([2, 7, 7], with_channels).output_shape == (4, 3, 3)
    assert trace([8, 2, 7, 7], with_channels).output_shape == (8, 4, 3, 3)
    assert trace([5, 5], []).output_shape == (5, 5)


def test_channel_rule() -> None:
    no_channels = trace([1, 28, 28], layers({"type": "conv2d", "kernel": 3}))
    assert no_channels.error is not None
    assert no_channels.error.message.startswith("out_channels: ")
    assert "needs out_channels" in no_channels.error.message
    board = trace([28, 28], layers({"type": "conv2d", "kernel": 3, "out_channels": 4}))
    assert board.error.message.startswith("out_channels: a 2-D [28, 28] input has no channel")
    assert board.error.fix == "give the input a channel dimension: [1, 28, 28]"
    assert trace([28, 28], layers({"type": "conv2d", "kernel": 3, "out_channels": 1})).ok


def test_odd_stride_floors_and_says_so() -> None:
    row = trace([64, 64], layers({"type": "conv2d", "kernel": 7, "stride": 2})).rows[0]
    assert row.out_shape == (29, 29)
    assert row.explanations["W"].lines == (
        "(64 - 7 + 2×0) / 2 + 1 = 57 / 2 + 1 = 29.5", "29.5 is not whole: floor it → 29")


def test_same_padding_with_an_even_kernel_explains_the_uneven_split() -> None:
    row = spec_trace("1x10x9: conv(2,4x3,p=same)").rows[0]
    assert row.out_shape == (2, 10, 9)
    assert row.explanations["H"].text == (
        "padding='same': 1 cell(s) before and 2 after (total 1×(4 - 1) = 3), so the size "
        "stays 10")
    assert row.explanations["W"].text == "(9 - 3 + 2×1) / 1 + 1 = 8 / 1 + 1 = 9"


def test_pooling_ceil_mode_and_dilation() -> None:
    result = spec_trace("1x3x10x10: maxpool(3,s=2,ceil=true) maxpool(2,d=2)")
    assert [row.out_shape for row in result.rows] == [(1, 3, 5, 5), (1, 3, 2, 2)]
    assert result.rows[0].explanations["H"].lines[-1] == "ceil_mode=True: round up → 5"
    assert result.rows[1].explanations["H"].lines[0] == "dilated kernel: 2×(2 - 1) + 1 = 3"


def test_transposed_convolution_counts() -> None:
    row = spec_trace("1x2x5x5: convT(3,3,s=2,p=1,op=1)").rows[0]
    assert row.out_shape == (1, 3, 10, 10)
    assert row.explanations["H"].text == "(5 - 1)×2 - 2×1 + 3 + 1 = 10"
    assert row.params == 2 * 3 * 3 * 3 + 3
    # every input cell scatters a 3x3 kernel into each of the 3 output channels
    assert row.macs == 2 * 5 * 5 * 3 * 3 * 3
    assert row.receptive_field is None and row.jump is None
    assert row.description == ("ConvTranspose2d(2, 3, kernel_size=(3, 3), stride=(2, 2), "
                               "padding=(1, 1), output_padding=(1, 1))")


def test_macs_by_hand() -> None:
    result = spec_trace("2x32x14x14: conv(64,3,p=1) bn flatten linear(12544,10)")
    conv, bn, _, linear = result.rows
    assert conv.macs == 2 * (64 * 14 * 14) * (32 * 3 * 3)  # batch × outputs × taps each
    assert conv.params == 64 * 32 * 3 * 3 + 64
    assert bn.macs == 2 * 64 * 14 * 14 and bn.params == 2 * 64  # scale and shift per channel
    assert linear.macs == 2 * 12544 * 10 and linear.params == 12544 * 10 + 10
    assert result.macs == conv.macs + bn.macs + linear.macs


def test_grouped_convolution_and_no_bias() -> None:
    row = spec_trace("1x8x6x6: conv(4,3,g=2,bias=false)").rows[0]
    assert row.params == 4 * (8 // 2) * 3 * 3
    assert row.macs == 4 * 4 * 4 * (8 // 2) * 3 * 3
    assert row.label == "conv 3x3 s1 p0 g2"
    bad = spec_trace("1x6x6x6: conv(4,3,g=4)")
    assert bad.error.message == "groups: in_channels (6) must be divisible by groups (4)"


def test_receptive_field_and_jump_by_formula() -> None:
    result = spec_trace("1x1x64x64: conv(4,3,s=2) conv(4,3,d=2) maxpool(2) avgpool(3x1,s=1)")
    # 3; + (5-1)×2 (dilated span 5, jump 2); + (2-1)×2; + (3-1)×4 in height only
    assert [row.receptive_field for row in result.rows] == [(3, 3), (11, 11), (13, 13),
                                                           (21, 13)]
    assert [row.jump for row in result.rows] == [(2, 2), (2, 2), (4, 4), (4, 4)]
    flat = spec_trace("1x1x8x8: conv(2,3) flatten").rows[-1]
    assert flat.receptive_field is None


def test_adaptive_pooling() -> None:
    result = spec_trace("1x4x7x7: adaptiveavgpool(1) ")
    row = result.rows[0]
    assert row.out_shape == (1, 4, 1, 1)
    assert row.explanations["H"].text == (
        "adaptive pooling always gives the requested size: 7 → 1 (every window covers 7 "
        "cell(s))")
    assert row.receptive_field == (7, 7)
    uneven = spec_trace("1x4x7x7: adaptiveavgpool(3)").rows[0]
    assert "windows cover 3 to 3 cells" not in uneven.explanations["H"].text
    assert uneven.receptive_field is None


def test_residual_block_rows_and_totals() -> None:
    result = spec_trace(
        "1x64x56x56: res(conv(128,3,s=2,p=1,bias=false) bn relu conv(128,3,p=1,bias=false) bn "
        "| conv(128,1,s=2,bias=false) bn) relu")
    block = result.rows[0]
    assert block.out_shape == (1, 128, 28, 28)
    assert [r.out_shape for r in block.paths["shortcut"]] == [(1, 128, 28, 28)] * 2
    assert block.paths["shortcut"][0].path == (0, "shortcut", 0)
    assert block.params == (64 * 128 * 9 + 256 + 128 * 128 * 9 + 256 + 64 * 128 + 256)
    assert block.receptive_field == (7, 7) and block.jump == (2, 2)
    assert block.label == "residual (projection shortcut)"
    assert result.rows[1].in_shape == (1, 128, 28, 28)


def test_residual_shape_mismatch_suggests_a_projection_shortcut() -> None:
    result = spec_trace("1x64x56x56: relu res(conv(128,3,s=2,p=1) bn)")
    err = result.error
    assert len(result.rows) == 1 and err.index == 1 and err.path == (1,)
    assert err.message == ("residual: the main path gives [1, 128, 28, 28] but the shortcut "
                           "gives [1, 64, 56, 56]; they must match to be added")
    assert err.fix == "give the shortcut a 1x1 conv with out_channels=128 and stride 2, then " \
                      "batchnorm2d"


def test_a_shortcut_that_already_projects_is_told_to_change_its_conv_not_add_one() -> None:
    result = spec_trace("1x64x56x56: res(conv(128,3,s=2,p=1) bn | bn conv(128,1) bn)")
    err = result.error
    assert err.message == ("residual: the main path gives [1, 128, 28, 28] but the shortcut "
                           "gives [1, 128, 56, 56]; they must match to be added")
    assert err.fix == ("the shortcut already has a 1x1 conv (shortcut path layer 2): set its "
                       "out_channels to 128 and its stride to 2")
    assert "give the shortcut a 1x1 conv" not in err.fix


def test_error_inside_a_residual_path_points_there() -> None:
    result = spec_trace("1x4x3x3: conv(4,1) res(conv(4,3) conv(4,3) | relu)")
    err = result.error
    assert err.path == (1, "main", 1) and err.index == 1
    assert err.where == "layer 2, main path layer 2"
    assert err.in_shape == (1, 4, 1, 1)


def test_input_too_small_stops_the_trace_with_the_rows_before() -> None:
    result = trace([1, 1, 28, 28], layers(
        {"type": "conv2d", "kernel": 5, "out_channels": 8},
        {"type": "maxpool2d", "kernel": 2},
        {"type": "conv2d", "kernel": 13, "out_channels": 8},
        {"type": "relu"},
    ))
    assert len(result.rows) == 2 and result.output_shape is None
    err = result.error
    assert (err.index, err.in_shape) == (2, (1, 8, 12, 12))
    assert err.message == (
        "kernel: the kernel (13 cells) is larger than the padded input (12 cells) in height")
    assert err.fix == ("the window spans 13x13 cells but the padded input is only 12x12: use a "
                       "smaller kernel or dilation, add padding, or downsample less before "
                       "this layer")
    assert err.text.startswith("layer 3 (conv 13x13 s1 p0) on [1, 8, 12, 12]: kernel: ")


def test_pool_padding_limit_has_a_fix() -> None:
    err = spec_trace("1x1x8x8: maxpool(2,p=2)").error
    assert err.message == ("padding: pooling padding must be at most half the kernel size "
                           "(kernel 2 allows at most 1), got 2")
    assert err.fix == "use padding at most 1 (half the kernel) or a bigger kernel"


def test_linear_mismatch_says_what_it_should_be() -> None:
    result = trace([1, 1, 28, 28], layers(
        {"type": "conv2d", "kernel": 3, "padding": 1, "out_channels": 64},
        {"type": "maxpool2d", "kernel": 4},
        {"type": "flatten"},
        {"type": "linear", "in_features": 3000, "out_features": 10},
    ))
    assert result.error.message == (
        "in_features: the input has 3136 features (64*7*7) but Linear expects in_features=3000")
    assert result.error.fix == "use Linear(3136, 10)"
    assert result.rows[-1].explanations["features"].text == "64×7×7 = 3136"


def test_linear_without_in_features_takes_the_flattened_size() -> None:
    row = spec_trace("1x1x28x28: conv(5,5) maxpool(2) flatten linear(10)").rows[-1]
    assert row.description == "Linear(in_features=720, out_features=10, bias=True)"
    assert row.params == 7210


def test_linear_on_a_feature_map_asks_for_flatten() -> None:
    err = spec_trace("1x1x28x28: conv(64,3,p=1) maxpool(4) linear(10)").error
    assert err.message == ("input: Linear on the feature map [1, 64, 7, 7] would only act on "
                           "its last dimension (7); flatten it first")
    assert err.fix == "add flatten before linear, then use Linear(3136, 10)"


def test_unbatched_flatten_keeps_channels_like_torch() -> None:
    result = trace([64, 7, 7], layers(
        {"type": "flatten"}, {"type": "linear", "in_features": 3136, "out_features": 10}))
    assert result.rows[0].out_shape == (64, 49)
    assert result.error.message.startswith("in_features: the input has 49 features (7*7)")
    assert "give the input as [1, 64, 7, 7]" in result.error.fix
    assert "Linear(3136, 10)" in result.error.fix


@pytest.mark.parametrize(("text", "message", "fix"), [
    ("64x7x7: bn", "input: BatchNorm2d expects a 4-D [N, C, H, W] input, got 3-D [64, 7, 7]",
     "add a batch dimension: input [1, 64, 7, 7]"),
    ("1x3x8x8: bn(4)", "num_features: the input has 3 channels but the layer expects "
                       "num_features=4", "use BatchNorm2d(3)"),
    ("1x3x8x8: flatten conv(3,3)", "input: conv2d needs an image-like [C, H, W] or "
                                   "[N, C, H, W] input, but Flatten already turned it into "
                                   "[1, 192]", "move conv2d before the flatten"),
    ("28x28: flatten", "input: a 2-D [28, 28] input has no batch or channel dimension to "
                       "keep, so Flatten (which starts at dimension 1) would leave it as it is",
     "give the input as [1, 1, 28, 28]"),
    ("1x1x4x4: convT(1,3,s=2,op=2)", "output_padding: must be smaller than either stride (2) "
                                     "or dilation (1), got 2",
     "use an output_padding smaller than the stride"),
    ("1x1x4x4: conv(1,3,p=4,mode=reflect)",
     "padding: reflect padding must be smaller than the input (4x4), got top 4, bottom 4, "
     "left 4, right 4", "use padding_mode='zeros' or less padding"),
])
def test_errors_with_fixes(text: str, message: str, fix: str) -> None:
    err = spec_trace(text).error
    assert (err.message, err.fix) == (message, fix)


@pytest.mark.parametrize(("spec", "message"), [
    ({"type": "conv2d", "kernel": 3, "stride": "two"},
     "stride: expected an int or [h, w], got 'two'"),
    ({"type": "conv2d", "kernel": [3, 3, 3]},
     "kernel: expected an int or [h, w], got [3, 3, 3]"),
    ({"type": "conv2d", "kernel": 0}, "kernel: must be at least 1, got 0"),
    ({"type": "conv2d", "kernel": 3, "padding": -1}, "padding: must not be negative, got -1"),
    ({"type": "conv2d", "kernel": 3, "padding": "full"},
     "padding: expected an int or [h, w], 'same' or 'valid', got 'full'"),
    ({"type": "conv2d", "kernel": 3, "stride": 2, "padding": "same"},
     "padding: 'same' is not supported for strided convolutions (stride=2); use stride 1 or a "
     "number"),
    ({"type": "conv2d", "kernel": 3, "padding_mode": "mirror"},
     "padding_mode: expected one of zeros, reflect, replicate, circular, got 'mirror'"),
    ({"type": "conv2d", "kernel_size": 3}, "kernel_size: unknown key for conv2d; did you mean "
                                           "'kernel'?"),
    ({"type": "maxpool2d"}, "kernel: required for maxpool2d"),
    ({"type": "maxpool2d", "kernel": 2, "ceil_mode": 1},
     "ceil_mode: expected true or false, got 1"),
    ({"type": "avgpool2d", "kernel": 2, "dilation": 2},
     "dilation: unknown key for avgpool2d; avgpool2d takes kernel, stride, padding, ceil_mode, "
     "count_include_pad"),
    ({"type": "relu", "inplace": True}, "inplace: unknown key for relu; relu takes none"),
    ({"type": "dropout", "p": 1.5}, "p: expected a probability between 0 and 1, got 1.5"),
    ({"type": "linear"}, "out_features: required for linear"),
    ({"kernel": 2}, "type: missing; known types: conv2d, conv_transpose2d, maxpool2d, "
                    "avgpool2d, adaptiveavgpool2d, relu, dropout, batchnorm2d, flatten, linear, "
                    "residual"),
    ({"type": "residual", "main": [{"type": "conv2d", "kernel": "x"}]},
     "main[0].kernel: expected an int or [h, w], got 'x'"),
    ({"type": "residual", "main": []},
     "main: a residual block needs at least one layer on its main path"),
])
def test_parse_errors_name_the_key(spec: dict, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_layer(spec)
    assert str(err.value) == message


def test_unknown_type_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"^type: unknown layer type 'conv3d'; known: conv2d, "):
        parse_layer({"type": "conv3d"})


def test_dict_form_accepts_pairs_and_strings() -> None:
    layer = parse_layer({"type": "conv2d", "kernel": [3, 5], "padding": "same",
                         "out_channels": 2, "padding_mode": "circular"})
    row = trace([1, 9, 9], [layer]).rows[0]
    assert row.out_shape == (2, 9, 9)
    assert row.description == ("Conv2d(1, 2, kernel_size=(3, 5), stride=(1, 1), padding=same, "
                               "padding_mode=circular)")


@pytest.mark.parametrize("shape", [[28], [1, 1, 1, 28, 28], [0, 28, 28], "28x28", [28.0, 28]])
def test_bad_input_shape(shape: object) -> None:
    with pytest.raises(ValueError, match=r"^input: "):
        trace(shape, [])  # type: ignore[arg-type]


def test_a_residual_block_applies_on_its_own() -> None:
    from convtui.core.layers import Tensor

    block = parse_spec("res(conv(8,3,s=2,p=1) bn | conv(8,1,s=2))").layers[0]
    applied = block.apply(Tensor((1, 4, 8, 8)))
    assert applied.tensor.shape == (1, 8, 4, 4)
    assert applied.params == (8 * 4 * 9 + 8) + 16 + (8 * 4 + 8)
