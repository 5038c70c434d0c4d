"""A stand-in for ComfyUI's custom-node loading (nodes.py `load_custom_node`) and graph
execution: it imports a node pack folder as a package, checks each class the way ComfyUI reads
it (INPUT_TYPES, RETURN_TYPES, FUNCTION, CATEGORY) and runs a node with its inputs."""

import importlib.util
import sys
from pathlib import Path

# The input types ComfyUI's widgets know; other strings are custom types passed between nodes.
WIDGET_TYPES = {"INT", "FLOAT", "STRING", "BOOLEAN"}


def load_custom_node(folder):
    """Imports `folder` as a package and returns its NODE_CLASS_MAPPINGS, checked."""
    folder = Path(folder)
    name = "custom_nodes_" + folder.name
    spec = importlib.util.spec_from_file_location(name, folder / "__init__.py", submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    mappings = module.NODE_CLASS_MAPPINGS
    names = getattr(module, "NODE_DISPLAY_NAME_MAPPINGS", {})
    for key, node in mappings.items():
        assert key in names, "%s has no display name" % key
        inputs = node.INPUT_TYPES()
        assert set(inputs) <= {"required", "optional", "hidden"}, inputs
        for input_name, declaration in inputs["required"].items():
            kind = declaration[0]
            assert isinstance(kind, (list, str)), (key, input_name, kind)
            if isinstance(kind, list):
                assert kind, "%s.%s offers no choice" % (key, input_name)
        assert isinstance(node.RETURN_TYPES, tuple) and node.RETURN_TYPES
        assert callable(getattr(node, node.FUNCTION)), "%s.%s is not a method" % (key, node.FUNCTION)
        assert isinstance(node.CATEGORY, str)
    return mappings


def run(node_class, **inputs):
    """Runs one node as ComfyUI's executor does: every required input given, the output tuple back."""
    required = node_class.INPUT_TYPES()["required"]
    missing = set(required) - set(inputs)
    assert not missing, "inputs missing: %s" % missing
    for input_name, declaration in required.items():
        if isinstance(declaration[0], list):
            assert inputs[input_name] in declaration[0], (input_name, inputs[input_name])
    outputs = getattr(node_class(), node_class.FUNCTION)(**inputs)
    assert isinstance(outputs, tuple) and len(outputs) == len(node_class.RETURN_TYPES)
    return outputs
