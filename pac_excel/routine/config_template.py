"""config_template: the commented pac-excel.toml that ``pac-excel iniciar`` writes.

Kept apart from the reader (routine.config) because it is text for people: every section a
working folder can configure, explained in Spanish, with examples commented out.
"""

from __future__ import annotations

import json

CONFIG_TEMPLATE = """\
# pac-excel.toml: configuración de esta carpeta de trabajo de pac-excel.
#
# Las líneas que empiezan con # son comentarios y no cuentan. Los textos van entre comillas y
# las listas entre corchetes: ["uno@entidad.gov.co", "otro@entidad.gov.co"].
# Si el archivo tiene un error, pac-excel dice la línea y la clave que debe corregir.

# Nombre de la entidad. Se usa cuando un archivo de seguimiento no trae la entidad.
entidad = {entity}

# Programa que siguen los archivos: "PTEP" (Programa de Transparencia y Ética Pública,
# Decreto 1122 de 2024), "PAAC" (guía DAFP 2015) o "PAAC2012". Sin esta línea pac-excel lo
# decide por archivo (título, secciones y vigencia) y dice por qué en el Resumen.
# programa = "PTEP"

[correo]
# Destinatarios del informe que arma «pac-excel correo».
para = []                       # por ejemplo ["director@entidad.gov.co"]
cc = []                         # por ejemplo ["publicaciones@entidad.gov.co"]
remitente = ""                  # por ejemplo "control.interno@entidad.gov.co"
# Servidor de correo saliente (SMTP): pregunte los datos al área de sistemas.
servidor = ""                   # por ejemplo "smtp.entidad.gov.co"
puerto = 587
seguridad = "starttls"          # "starttls", "ssl" o "ninguna" (solo para pruebas locales)
# Si el servidor pide usuario y clave, quite el # de las dos líneas siguientes. La clave nunca
# se escribe aquí: se guarda en la variable de entorno que indica variable_clave.
# usuario = "control.interno@entidad.gov.co"
# variable_clave = "PAC_EXCEL_CLAVE_SMTP"   # nombre de la variable de entorno con la clave

[areas]
# Correo de cada dependencia responsable, para «pac-excel correo --por-area» (un mensaje por
# dependencia con lo que debía entregar, lo que falta y las evidencias que debe enviar).
# Escriba el nombre como aparece en la columna Responsable: no importan tildes, mayúsculas
# ni palabras como «de» o «la». Una dirección o una lista de direcciones. Por ejemplo:
# "Secretaría de Planeación" = "planeacion@entidad.gov.co"
# "Oficina de Sistemas" = ["sistemas@entidad.gov.co", "tic@entidad.gov.co"]

[semaforo]
# Límites del semáforo sobre el cumplimiento (escala del DAFP), entre 0 y 1.
rojo_bajo = 0.60                # por debajo de 60 %: Rojo
amarillo_bajo = 0.80            # por debajo de 80 %: Amarillo; desde 80 %: Verde

[firmas]
# Quién firma el PDF y el informe de seguimiento: "Nombre – Cargo". Sin esta sección se usan
# las firmas del archivo de seguimiento o quedan líneas en blanco para firmar a mano.
# elaboro = "Ana Pérez – Profesional de Control Interno"
# reviso = ""
# aprobo = "Luis Gómez – Jefe de la Oficina de Control Interno"

[cortes]
# Fechas de corte del seguimiento (día/mes) y días hábiles para publicarlo, si el anexo
# técnico o un acto de la entidad fija otras. Sin esta sección: 30/04, 31/08, 31/12 y 10.
# fechas = ["30/04", "31/08", "31/12"]
# dias_habiles = 10

[componentes]
# Nombres propios de componentes o subcomponentes y el número de componente (1 a 6) que
# les corresponde, para los que pac-excel no reconozca; 7 a 9 para uno propio, o el nombre de
# un componente del programa entre comillas. Por ejemplo:
# "Participación Ciudadana" = 3
# "Línea de transparencia" = "Estado abierto"
"""


def render_template(entity: str | None = None) -> str:
    """The commented file ``pac-excel iniciar`` writes, with the entity filled in if given."""
    return CONFIG_TEMPLATE.format(entity=toml_string(entity or ""))


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are all valid TOML escapes."""
    return json.dumps(text, ensure_ascii=False)
